using System.Runtime.CompilerServices;

// The credential tests forge signatures and payloads with the internal SM2 helpers.
[assembly: InternalsVisibleTo("Sojourn.Credentials.Tests")]
