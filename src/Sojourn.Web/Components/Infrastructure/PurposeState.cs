using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Sojourn.Web.Access;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>
/// The purpose an official stated for the task in hand (个人信息保护法 第六条), asked once and carried to every read the
/// pages make until it is changed or the tab is closed. Kept in the tab's session storage, protected by the data
/// protection keys, so a reload keeps it and another tab asks again.
/// </summary>
internal sealed class PurposeState(ProtectedSessionStorage storage)
{
    private const string Key = "sojourn.purpose";
    private bool _loaded;

    /// <summary>The stated purpose (a catalogue code and its note), or null when none was stated yet.</summary>
    public StatedPurpose? Current { get; private set; }

    public event Action? Changed;

    /// <summary>Loads the stated purpose from the tab (only after the first interactive render: storage needs JS).</summary>
    public async Task LoadAsync()
    {
        if (_loaded)
        {
            return;
        }

        try
        {
            var stored = await storage.GetAsync<StatedPurpose>(Key);
            if (stored.Success && stored.Value is { } value && PurposeCatalogue.Default.Find(value.Code) is not null)
            {
                Current = value;
            }

            _loaded = true;
            Changed?.Invoke();
        }
        catch (InvalidOperationException)
        {
            // Pre-rendering: no JS yet; the interactive render loads it.
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A value from older keys: ask again.
            _loaded = true;
        }
    }

    public async Task SetAsync(string code, string? note)
    {
        if (PurposeCatalogue.Default.Find(code) is null)
        {
            throw new ArgumentException("Not a purpose code of the catalogue: " + code, nameof(code));
        }

        Current = new StatedPurpose(code, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        _loaded = true;
        await storage.SetAsync(Key, Current);
        Changed?.Invoke();
    }

    public async Task ClearAsync()
    {
        Current = null;
        await storage.DeleteAsync(Key);
        Changed?.Invoke();
    }
}
