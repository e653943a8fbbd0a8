global using Microsoft.Playwright;
global using Sojourn.Browser.Tests.Infrastructure;
global using Xunit;
