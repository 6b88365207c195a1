#!/bin/bash
# Issue 22's red-team attacks, tried from the command line as a user would; prints what each did.
#   CG=.venv-map/bin/conceptgraph bash benchmarks/attacks.sh
# $CG is the console script to attack (an installed conceptgraph); the python next to it runs the helpers.
# The tests (tests/test_bad_input.py and others) assert the outcomes; this shows them to a reader.
set -u
CG=${CG:?}
W=$(mktemp -d /tmp/attack-XXXX); cd "$W"
line() { echo "---- $*"; }
rc() { "$@" > out.txt 2> err.txt; echo "exit $? | stderr: $(head -c 300 err.txt | tr '\n' '|')"; }

line "1 paper ids equal to concept ids (BibTeX keys bert, resnet)"
cat > refs.bib <<'B'
@article{bert, title={BERT: Pre-training of Deep Bidirectional Transformers}, abstract={We introduce BERT, a language model pre-trained on BooksCorpus and evaluated on GLUE.}, year={2019}}
@article{resnet, title={Deep Residual Learning}, abstract={We present ResNet, a residual network trained on ImageNet with BERT-like ideas.}, year={2016}}
@article{gpt, title={GPT}, abstract={We fine-tune BERT and ResNet on ImageNet and GLUE.}, year={2020}}
B
rc $CG build refs.bib -o o1 -q; rc $CG show bert -o o1; head -2 out.txt

line "2 build . twice in a folder with one corpus file"
mkdir d2; cp refs.bib d2/; (cd d2 && $CG build . -q >/dev/null 2>&1; $CG build . 2>/dev/null | head -1; ls -a)

line "3 export from another directory (relative input)"
mkdir d3; cp refs.bib d3/; (cd d3 && $CG build refs.bib -o out -q); mkdir elsewhere; cp /dev/null elsewhere/refs.bib
(cd elsewhere && rc $CG export -o ../d3/out --formats gexf); ls d3/out | tr '\n' ' '; echo

line "6 dense abstracts: 11 abstracts naming 300 lexicon concepts each"
$(dirname $CG)/python - <<'P'
import json, random, glob, os
names=[]
import conceptgraph.extract as e, pathlib
d=pathlib.Path(e.__file__).parent/"data"/"lexicon"
for f in sorted(d.glob("*.jsonl")):
    for l in open(f):
        names.append(json.loads(l)["label"])
r=random.Random(0)
with open("dense.jsonl","w") as f:
    for i in range(11):
        f.write(json.dumps({"id":f"d{i}","title":f"Survey {i}","abstract":"We compare "+", ".join(r.sample(names,300))+"."})+"\n")
print(os.path.getsize("dense.jsonl"),"bytes")
P
start=$(date +%s); rc $CG build dense.jsonl -o o6 -q; echo "seconds $(( $(date +%s)-start ))"; $(dirname $CG)/python -c "import json;r=json.load(open('o6/report.json'));print(r['graph']['concept_graph'])"

line "7 a 2 MB .gz of 2 GB of zeros; a .gz of 300 MB of newlines; one 200 MB CSV line"
head -c 2000000000 /dev/zero | gzip -c > zeros.jsonl.gz; ls -la zeros.jsonl.gz | awk '{print $5}'
/usr/bin/time -f "peak %M KB, %e s" $CG build zeros.jsonl.gz -o o7 -q 2>&1 | tail -2
head -c 300000000 /dev/zero | tr '\0' '\n' | gzip -c > nl.jsonl.gz; ls -la nl.jsonl.gz | awk '{print $5}'
/usr/bin/time -f "peak %M KB, %e s" $CG build nl.jsonl.gz -o o7b -q 2>&1 | tail -2
$(dirname $CG)/python -c "
import sys
with open('big.csv','w') as f:
    f.write('id,title,abstract\n'); f.write('a,T,'+'word '*40_000_000+'\n'); f.write('b,T2,We use ResNet on ImageNet.\n')"
/usr/bin/time -f "peak %M KB, %e s" $CG build big.csv -o o7c -q 2>&1 | tail -2

line "8 --cache-dir pointing at a folder of the user's"
mkdir -p mydata/extract-mine; echo keep > mydata/extract-mine/notes.txt
$CG build refs.bib -o o8 --cache-dir mydata -q; $CG build ../$(basename $W)/refs.bib -o o8 --cache-dir mydata -q; cat mydata/extract-mine/notes.txt

line "10 malformed lexicons"
printf '{"label": "X", "type": "nonsense"}\n' > bad1.jsonl; rc $CG build refs.bib -o o10 --lexicon bad1.jsonl
printf '{"label": 5, "type": "method"}\n' > bad2.jsonl; rc $CG build refs.bib -o o10 --lexicon bad2.jsonl
printf '{"label": "Foo", "type": "method", "aliases": "abc"}\n' > bad3.jsonl; rc $CG build refs.bib -o o10 --lexicon bad3.jsonl
rc $CG build refs.bib -o o10 --lexicon missing.jsonl

line "11 UTF-32 LE with BOM; UTF-16 without BOM"
$(dirname $CG)/python -c "
t=open('refs.bib',encoding='utf-8').read()
open('u32.bib','wb').write(b'\xff\xfe\x00\x00'+t.encode('utf-32-le'))
open('u16.bib','wb').write(t.encode('utf-16-le'))"
rc $CG build u32.bib -o o11 -q; head -1 o11/papers.csv 2>/dev/null; $(dirname $CG)/python -c "import csv;print([r['title'] for r in csv.DictReader(open('o11/papers.csv'))])"
rc $CG build u16.bib -o o11b -q

line "12 formula-like names read back"
printf '{"id":"=1+1","title":"=cmd|calc","abstract":"We propose =cmd|calc, built on ResNet and ImageNet."}\n{"id":"p2","title":"Other","abstract":"We use ResNet on ImageNet."}\n' > f.jsonl
$CG build f.jsonl -o o12 -q; $CG show "=1+1" -o o12 | head -1; grep -c "'=" o12/papers.csv

line "13 bad options"
rc $CG build refs.bib --model en_core_web_nope -o o13; rc $CG build refs.bib --top-k 0 -o o13; rc $CG export -o o1 --formats pdf

line "14 SIGINT at moments from 0.05 s to 2 s (subprocess with SIGINT at its default)"
$(dirname $CG)/python - "$CG" <<'P'
import subprocess, sys, time, signal
for t in [0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.0]:
    p = subprocess.Popen([sys.argv[1], "build", "refs.bib", "-o", "o14", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(t); p.send_signal(signal.SIGINT); _, err = p.communicate()
    e = err.decode().strip().splitlines()
    print(t, "exit", p.returncode, "lines", len(e), e[-1:] if e else "")
P
line "14b the same with SIGINT ignored by the caller (bash background job): must run to the end"
$CG build refs.bib -o o14b -q 2> e14.txt & p=$!; sleep 1; kill -INT $p; wait $p; echo "exit $? stderr lines $(wc -l < e14.txt)"

line "15 FIFO in an input directory; CSP; cell prefixes"
mkdir d15; cp refs.bib d15/; mkfifo d15/pipe.jsonl; rc $CG build d15 -o o15; $(dirname $CG)/python -c "import json;print(json.load(open('o15/report.json'))['files_skipped'])"
grep -o "script-src[^;]*" o1/graph.html | head -1
echo "workdir $W"
