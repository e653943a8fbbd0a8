// The use-case layer's catalogue and texts are used by every module of the host.
global using Sojourn.Application;
global using Sojourn.Application.Errors;
// permits: the permit module's use cases, contracts and e-permit service live in the use-case layer.
global using Sojourn.Application.Permits;
// Registration: the use cases, their commands and the API shapes live in the use-case layer.
global using Sojourn.Application.Registrations;
// Web/Http holds what every module of the host shares (tidy).
global using Sojourn.Web.Http;
