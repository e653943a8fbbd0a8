// The use-case layer's catalogue and texts are used by every module of the host.
global using Sojourn.Application;
global using Sojourn.Application.Errors;
