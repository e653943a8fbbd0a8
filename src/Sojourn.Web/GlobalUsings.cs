// The use-case layer's catalogue and texts are used by every module of the host.
global using Sojourn.Application;
global using Sojourn.Application.Errors;

// Registration: the use cases, their commands and the API shapes live in the use-case layer.
global using Sojourn.Application.Registrations;
