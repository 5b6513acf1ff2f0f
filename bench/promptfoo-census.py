#!/usr/bin/env python3
"""Census of `sonde import promptfoo` over promptfoo's examples/ folder (issue 23).

Usage: bench/promptfoo-census.py EXAMPLES_DIR SONDE_COMMAND OUT_DIR

EXAMPLES_DIR is a checkout of promptfoo's examples/ (e.g. `git archive HEAD examples | tar -x`),
SONDE_COMMAND the sonde launcher (./sonde). Takes every promptfooconfig*.yaml whose providers are
all Anthropic or OpenAI chat-compatible (ids starting `anthropic:` or `openai:`, not
assistant/realtime/image/embedding/moderation), imports it into OUT_DIR, and runs each suite that
loads offline on the embedded emulator with zero latency (the answers are filler, so checks fail:
a run counts as ok when it completes, exit 0 or 1). Prints one line per config, then the counts:
configs imported / loaded / run offline, items mapped / unmapped, and unmapped items by reason.
Needs python3 with PyYAML (only to pick the configs; the import reads them itself).
"""
import collections
import glob
import os
import re
import subprocess
import sys

import yaml

examples, sonde, out_dir = sys.argv[1:4]
os.makedirs(out_dir, exist_ok=True)
fast = os.path.join(out_dir, "fast.yaml")
with open(fast, "w") as f:
    f.write('latency:\n  - {model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}\n')


def provider_ids(node, folder):
    if node is None:
        return []
    if isinstance(node, (str, dict)):
        node = [node]
    ids = []
    for p in node:
        if isinstance(p, str) and p.startswith("file://"):
            try:
                with open(os.path.join(folder, p[len("file://"):])) as f:
                    ids += provider_ids(yaml.safe_load(f), folder)
            except (OSError, yaml.YAMLError):
                ids.append(p)
        elif isinstance(p, str):
            ids.append(p)
        elif isinstance(p, dict):
            ids.append(str(p["id"]) if "id" in p else str(next(iter(p), "")))
    return ids


def qualifies(pid):
    if pid.startswith("anthropic:"):
        return True
    return pid.startswith("openai:") and not re.match(r"openai:(assistant|realtime|image|embeddings?|moderation):", pid)


totals = collections.Counter()
reasons = collections.Counter()
for config in sorted(glob.glob(os.path.join(examples, "**", "promptfooconfig*.yaml"), recursive=True)):
    try:
        with open(config) as f:
            parsed = yaml.safe_load(f)
    except (OSError, yaml.YAMLError):
        continue
    if not isinstance(parsed, dict):
        continue
    ids = provider_ids(parsed.get("providers", parsed.get("targets")), os.path.dirname(config))
    if not ids or not all(qualifies(i) for i in ids):
        continue
    totals["configs"] += 1
    name = os.path.relpath(config, examples).replace(os.sep, "__")
    suite = os.path.join(out_dir, name)
    imported = subprocess.run([sonde, "import", "promptfoo", config, "--out", suite], capture_output=True, text=True)
    report = imported.stdout.splitlines()
    m = re.match(r"mapped (\d+) of (\d+) items; unmapped: (\d+)", report[0] if report else "")
    if m:
        totals["mapped"] += int(m.group(1))
        totals["unmapped"] += int(m.group(3))
    for line in report[1:]:
        hit = re.match(r".*?:\d+:\d+: (\S+).*? — (.*)", line)
        if hit:
            reasons[(hit.group(1), hit.group(2)[:90])] += 1
    state = "not written"
    if os.path.exists(suite):
        totals["imported"] += 1
        last = imported.stderr.strip().splitlines()[-1] if imported.stderr.strip() else ""
        why = re.search(r":\d+:\d+: (.*)", last)
        state = ("does not load: " + (why.group(1) if why else last)[:120]) if "does not load" in last else "loads"
    if state == "loads":
        totals["loaded"] += 1
        with open(suite, "a") as f:
            f.write("emulator: {config: %s}\n" % fast)
        run = subprocess.run([sonde, "run", suite, "--endpoint", "emulator", "--out", suite + ".run", "-q"],
                             capture_output=True, text=True)
        if run.returncode in (0, 1):
            totals["ran"] += 1
            state = "loads, ran offline"
        else:
            state = "loads, run exit %d: %s" % (run.returncode, (run.stderr.strip().splitlines() or [""])[-1][:160])
    print("%s: %s; %s" % (os.path.relpath(config, examples), report[0] if report else imported.stderr.strip()[:160], state))

print()
print("configs %(configs)d; imported %(imported)d; loaded %(loaded)d; ran offline %(ran)d" % collections.defaultdict(int, totals))
print("items mapped %d, unmapped %d" % (totals["mapped"], totals["unmapped"]))
for (kind, why), n in reasons.most_common(25):
    print("%5d  %s — %s" % (n, kind, why))
