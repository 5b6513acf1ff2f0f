#!/usr/bin/env python3
"""Census of `sonde import promptfoo` over promptfoo's examples/ folder (issue 23).

Usage: bench/promptfoo-census.py EXAMPLES_DIR SONDE_COMMAND OUT_DIR [EMBEDDINGS_JAR]

EMBEDDINGS_JAR (or the SONDE_EMBEDDINGS_JAR environment variable) is a jar built with the embeddings
profile (`mvn -Pembeddings -DskipTests package`, then copy harness/target/sonde.jar aside: both builds
write that name). A suite the default build reports as needing the -Pembeddings build (similar,
answer-relevance) is then imported again and run with that jar (the launcher's SONDE_JAR), so it gets
the full check and a run with its embeddings assertions; without it such a suite is checked with them
left out and not run.

EXAMPLES_DIR is a checkout of promptfoo's examples/ (e.g. `git archive HEAD examples | tar -x`),
SONDE_COMMAND the sonde launcher (./sonde). Takes every promptfooconfig*.yaml whose providers are
all Anthropic or OpenAI chat-compatible (ids starting `anthropic:` or `openai:`, not
assistant/realtime/image/embedding/moderation), imports it into OUT_DIR, and runs each suite that
loads offline on the embedded emulator with zero latency (the answers are filler, so checks fail:
a run counts as ok when it completes, exit 0 or 1). Prints one line per config, then the counts:
configs imported / loaded / run offline, items mapped / unmapped (summed from the import's
"mapped X of Y items; unmapped: Z" line), configs by outcome, and unmapped items by reason.
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
embeddings_jar = sys.argv[4] if len(sys.argv) > 4 else os.environ.get("SONDE_EMBEDDINGS_JAR")
os.makedirs(out_dir, exist_ok=True)
fast = os.path.join(out_dir, "fast.yaml")
with open(fast, "w") as f:
    f.write('latency:\n  - {model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}\n')
SUMMARY = re.compile(r"^mapped (\d+) of (\d+) items; unmapped: (\d+)$")
NEEDS_EMBEDDINGS = "this suite needs the -Pembeddings build"


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


def sonde_run(args, env_jar=None):
    env = dict(os.environ)
    if env_jar:
        env["SONDE_JAR"] = env_jar
    return subprocess.run([sonde] + args, capture_output=True, text=True, env=env)


def outcome(state):
    """A config's outcome with its particulars taken out, to count configs by it."""
    state = re.sub(r"cases\[\d+\]", "cases[n]", state)
    state = re.sub(r"'[^']*'", "'…'", state)
    return state[:110]


totals = collections.Counter()
reasons = collections.Counter()
outcomes = collections.Counter()
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
    if os.path.exists(suite):
        os.remove(suite)
    imported = sonde_run(["import", "promptfoo", config, "--out", suite])
    lines = imported.stdout.splitlines() + imported.stderr.splitlines()
    summary = next((SUMMARY.match(l) for l in lines if SUMMARY.match(l)), None)
    if summary:
        totals["mapped"] += int(summary.group(1))
        totals["unmapped"] += int(summary.group(3))
    for line in lines:
        hit = re.match(r".*?:\d+:\d+: (\S+).*? — (.*)", line)
        if hit:
            reasons[(hit.group(1), hit.group(2)[:90])] += 1
    embedder = None
    if any(NEEDS_EMBEDDINGS in l for l in lines):
        totals["need embeddings"] += 1
        if embeddings_jar:
            embedder = embeddings_jar
            imported = sonde_run(["import", "promptfoo", config, "--out", suite], embedder)
    failed = [l for l in imported.stderr.splitlines() if l.startswith("sonde import: ")]
    if not os.path.exists(suite):
        why = failed[-1][len("sonde import: "):] if failed else "no suite"
        state = "not written: " + why.replace("nothing written: ", "")[:140]
    else:
        totals["imported"] += 1
        loads = [l for l in imported.stdout.splitlines() if l.startswith(suite + ": loads")]
        if loads:
            state = "loads" + (" with the embeddings build" if embedder else loads[0][len(suite + ": loads"):])
        else:
            why = re.search(r":\d+:\d+: (.*)", failed[-1]) if failed else None
            state = "does not load: " + ((why.group(1) if why else failed[-1]) if failed else "no report")[:140]
    if state.startswith("loads"):
        totals["loaded"] += 1
        with open(suite, "a") as f:
            f.write("emulator: {config: %s}\n" % fast)
        needs = any(NEEDS_EMBEDDINGS in l for l in lines)
        run = sonde_run(["run", suite, "--endpoint", "emulator", "--out", suite + ".run", "-q"], embedder) \
            if embedder or not needs else None
        if run is None:
            state += "; not run (needs the embeddings build)"
        elif run.returncode in (0, 1):
            totals["ran"] += 1
            state += ", ran offline"
        else:
            state += ", run exit %d: %s" % (run.returncode, (run.stderr.strip().splitlines() or [""])[-1][:160])
    outcomes[outcome(state)] += 1
    print("%s: %s; %s" % (os.path.relpath(config, examples), summary.group(0) if summary else "no report", state))

print()
print("configs %(configs)d; imported %(imported)d; loaded %(loaded)d; ran offline %(ran)d; needing embeddings %(need embeddings)d"
      % collections.defaultdict(int, totals))
print("items mapped %d, unmapped %d" % (totals["mapped"], totals["unmapped"]))
print()
print("configs by outcome:")
for state, n in outcomes.most_common():
    print("%5d  %s" % (n, state))
print()
print("unmapped items by reason:")
for (kind, why), n in reasons.most_common(25):
    print("%5d  %s — %s" % (n, kind, why))
