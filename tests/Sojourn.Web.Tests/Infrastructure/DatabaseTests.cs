namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>
/// Base of the test classes that run once per database: the SQLite subclass always runs; the
/// PostgreSQL one skips with the fixture's reason when no cluster could be started (and fails under CI).
/// </summary>
public abstract class DatabaseTests(SojournAppFactory? factory, string? skipReason)
{
    protected SojournAppFactory Factory
    {
        get
        {
            Skip.If(skipReason is not null, skipReason);
            return factory!;
        }
    }
}
