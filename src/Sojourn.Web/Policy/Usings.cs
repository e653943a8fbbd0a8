// Lets Program.cs call app.MapPolicy() with a single added line.
global using Sojourn.Web.Policy;
