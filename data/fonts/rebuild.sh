#!/usr/bin/env bash
# Rebuilds the bundled PDF fonts from the npm packages of Google Fonts' Noto Sans builds
# (TrueType outlines, which PDFsharp subsets when it embeds them; SIL OFL 1.1).
#   NotoSansSC-Regular.ttf   the primary face, unchanged
#   NotoSansHK-Extra.ttf     Noto Sans HK cut down to the characters the SC face lacks
#                            (mostly CJK Extension B: names such as those with 𠮷-like 生僻字)
#   NotoSansJP-Extra.ttf     Noto Sans JP cut down to what neither SC nor HK has (𠮷 U+20BB7 among them)
# Needs: npm, and fontTools (Debian: apt-get install python3-fonttools). Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../src/Sojourn.Documents/Fonts"
version=0.4.3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
for lang in sc hk jp; do
  npm pack --silent "@expo-google-fonts/noto-sans-$lang@$version" >/dev/null
  tar xzf "expo-google-fonts-noto-sans-$lang-$version.tgz" --wildcards 'package/400Regular/*.ttf' package/LICENSE_FONT
  mv package "$lang"
done
py=/usr/bin/python3
"$py" - "$work" <<'PY'
import sys
from fontTools.ttLib import TTFont
w = sys.argv[1]
def cmap(lang, name):
    return set(TTFont(f"{w}/{lang}/400Regular/NotoSans{name}_400Regular.ttf").getBestCmap())
sc, hk, jp = cmap("sc", "SC"), cmap("hk", "HK"), cmap("jp", "JP")
open(f"{w}/hk.txt", "w").write(",".join(f"U+{c:04X}" for c in sorted(hk - sc)))
open(f"{w}/jp.txt", "w").write(",".join(f"U+{c:04X}" for c in sorted(jp - sc - hk)))
print(f"SC {len(sc)}; HK extra {len(hk - sc)}; JP extra {len(jp - sc - hk)}")
PY
cp "sc/400Regular/NotoSansSC_400Regular.ttf" "$out/NotoSansSC-Regular.ttf"
# Layout features and vertical metrics are not used by the PDF renderer; hinting is kept.
for pair in "hk HK" "jp JP"; do
  set -- $pair
  "$py" -m fontTools.subset "$1/400Regular/NotoSans$2_400Regular.ttf" --unicodes-file="$1.txt" \
    --layout-features='' --no-layout-closure --output-file="$out/NotoSans$2-Extra.ttf"
done
cp sc/LICENSE_FONT "$out/OFL.txt"
ls -l "$out"
