#!/usr/bin/env python3
"""Internal by default for Sojourn.Data, Sojourn.Application and Sojourn.Web (issue 12).

Makes every top-level type of those projects internal unless it has to be public:
  * another production project uses it by name (Data: Application, Web, Cli; Application: Web, Cli);
  * a public type shows it in its signature (declaration line, primary constructor, record parameters, public or
    protected members), to a fixed point, since C# refuses a public member of a less accessible type;
  * it is Web's Program (WebApplicationFactory<Program>), or an EF Core migration (generated; EF Core finds
    migrations by reflection whatever their accessibility, and regenerating one writes it public again).
Razor components are not touched: the Razor compiler makes them public, and the router and MapRazorComponents find
pages among the assembly's exported types only.

Tests and benchmarks see the internals through InternalsVisibleTo (set in the csproj files). With --build it then
builds the solution and makes public again each type a compile error names as less accessible or inaccessible
(a test fixture's public member showing it, say), until the build is clean.

Run from the repository root:  python3 tools/internal_by_default.py --build
Idempotent: re-run it after a merge; then update tests/Sojourn.Architecture.Tests/PublicSurface.txt from the
PublicSurfaceTests failure message if the surface moved, deliberately.
"""

import os
import re
import subprocess
import sys

PROJECTS = {
    "Sojourn.Data": ["Sojourn.Application", "Sojourn.Web", "Sojourn.Cli"],
    # Application already lets Web see its internals (InternalsVisibleTo): only the CLI needs its public types.
    "Sojourn.Application": ["Sojourn.Cli"],
    "Sojourn.Web": [],
}
KEEP = {"Program"}
DECL = re.compile(
    r"^(?P<acc>public|internal)(?P<mods>(?:\s+(?:sealed|static|abstract|partial|readonly|unsafe|ref))*)\s+"
    r"(?P<kind>record\s+struct|record\s+class|record|class|interface|enum|struct)\s+(?P<name>\w+)")
WORD = re.compile(r"[A-Za-z_]\w*")
ACCESS_ERRORS = re.compile(r"error (CS005[0-9]|CS006[01]|CS0122|CS0262|CS0703|CS9338)\b[^:]*:(?P<msg>.*)")


def sources(project, exts=(".cs",)):
    root = os.path.join("src", project)
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in ("bin", "obj")]
        for f in files:
            if f.endswith(exts):
                yield os.path.join(d, f)


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


def types_of(path):
    """Top-level types of a file (file-scoped namespaces): name -> (declaration line index, text of its signature)."""
    lines = read(path).split("\n")
    starts = [(i, m) for i, l in enumerate(lines) if (m := DECL.match(l))]
    result = {}
    for k, (i, m) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = lines[i:end]
        sig = []
        # The declaration up to its opening brace or semicolon (primary constructor, record parameters, base list).
        j = 0
        while j < len(body):
            sig.append(body[j])
            if "{" in body[j] or body[j].rstrip().endswith(";"):
                break
            j += 1
        for l in body[j + 1:]:
            s = l.lstrip()
            # Members of the type and of public nested types (indentation 4 or 8): what C# checks for accessibility.
            if (l.startswith("    ") and not l.startswith("            ")) and s.startswith(("public ", "protected ", "[")):
                sig.append(s)
        result[m.group("name")] = (i, m.group("acc"), m.group("kind"), "\n".join(sig))
    return result


def main():
    build = "--build" in sys.argv
    dry = "--dry-run" in sys.argv
    decls = {}  # name -> list of (path, line index)
    sig = {}
    acc = {}
    for project in PROJECTS:
        for path in sources(project):
            if os.sep + "Migrations" + os.sep in path:
                continue
            for name, (i, a, _kind, s) in types_of(path).items():
                decls.setdefault(name, []).append((path, i, project))
                sig[name] = sig.get(name, "") + "\n" + s
                acc[name] = a

    used_elsewhere = {}
    for project, consumers in PROJECTS.items():
        words = set()
        for c in consumers:
            for path in sources(c, (".cs", ".razor")):
                words.update(WORD.findall(read(path)))
        used_elsewhere[project] = words

    # Razor components are public: the types their public members and parameters show stay public too.
    razor_words = set()
    for path in sources("Sojourn.Web", (".razor",)):
        for l in read(path).split("\n"):
            s = l.strip()
            if s.startswith(("public ", "[Parameter", "[CascadingParameter", "protected ")):
                razor_words.update(WORD.findall(s))

    # The deliberate surface already listed stays public (so a re-run after a merge keeps what the build loop found).
    public = set(KEEP)
    surface = os.path.join("tests", "Sojourn.Architecture.Tests", "PublicSurface.txt")
    for line in read(surface).split("\n") if os.path.exists(surface) else []:
        if ":" in line and line.split(":")[0].strip() in PROJECTS:
            public.add(line.split(":", 1)[1].strip().split(".")[-1].split("+")[0])
    for name, places in decls.items():
        project = places[0][2]
        # An extension class is used by its methods' names (services.AddSojournApplication()).
        extensions = set(re.findall(r"public static [^(=]*?(\w+)(?:<[^>]*>)?\(this ", sig[name]))
        if name in used_elsewhere[project] or name in razor_words or extensions & used_elsewhere[project]:
            public.add(name)
    changed = True
    while changed:
        changed = False
        for name in list(public):
            for w in WORD.findall(sig.get(name, "")):
                if w in decls and w not in public:
                    public.add(w)
                    changed = True

    def set_access(name, to):
        for path, i, _project in decls.get(name, []):
            lines = read(path).split("\n")
            lines[i] = re.sub(r"^(public|internal)\b", to, lines[i])
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))

    made = 0
    for name in decls:
        want = "public" if name in public else "internal"
        if acc[name] != want:
            if dry:
                print(f"{acc[name]} -> {want}: {name}")
            else:
                set_access(name, want)
            made += 1
    print(f"{len(decls)} types; {len(public & set(decls))} public; {made} changed")

    rounds = 0
    while build and not dry and rounds < 12:
        rounds += 1
        out = subprocess.run(["dotnet", "build", "Sojourn.slnx", "-warnaserror", "-nologo", "-clp:NoSummary"],
                             capture_output=True, text=True).stdout
        needed = set()
        for line in out.split("\n"):
            m = ACCESS_ERRORS.search(line)
            if m:
                # The first quoted name is the one less accessible (or inaccessible); the rest is where it was used.
                q = re.search(r"'([^']*)'", m.group("msg"))
                needed.update(w for w in WORD.findall(q.group(1) if q else m.group("msg")) if w in decls)
        needed -= {n for n in needed if read(decls[n][0][0]).split("\n")[decls[n][0][1]].startswith("public")}
        errors = [l for l in out.split("\n") if " error " in l]
        print(f"build {rounds}: {len(errors)} error lines; making public: {sorted(needed)}")
        if not needed:
            if errors:
                print("\n".join(sorted(set(errors))[:60]))
                return 1
            return 0
        for name in needed:
            set_access(name, "public")
    return 0


if __name__ == "__main__":
    sys.exit(main())
