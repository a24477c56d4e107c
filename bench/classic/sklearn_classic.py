"""The classic text baselines of issue 9, in scikit-learn, to cross-check `conpet bench --mode classic`.

TF-IDF over word 1-2-grams and character 2-5-grams (sublinear tf, each group L2-normalised),
multinomial logistic regression (class-balanced, C chosen by 5-fold cross-validation over
1, 10, 100), trained on each suite's training data: as a router it predicts the task, as a joint
classifier it predicts (task, label) over every label. Prints routing and whole accuracy on the
full test sets and on the seeded subsets `conpet bench --max-test` does not reproduce exactly
(different sampler), so compare the full-set numbers.

Usage: /usr/bin/python3 bench/classic/sklearn_classic.py ../shared/data/code-lang [more suites] [--report out.json]
Needs Debian's python3-sklearn.
"""
import json
import sys
from pathlib import Path

import sklearn
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegressionCV


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def featurize(train_texts, test_texts):
    groups = [
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=30000),
        TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=30000),
    ]
    train = hstack([g.fit_transform(train_texts) for g in groups]).tocsr()
    test = hstack([g.transform(test_texts) for g in groups]).tocsr()
    return train, test


def fit_predict(train_x, train_y, test_x):
    model = LogisticRegressionCV(Cs=[1, 10, 100], cv=5, class_weight="balanced", max_iter=2000)
    return model.fit(train_x, train_y).predict(test_x)


def run_suite(directory):
    suite = json.loads((directory / "suite.json").read_text())
    train, test = [], []
    for task in suite["tasks"]:
        train += [(task, s["input"], s["output"]) for s in read_jsonl(directory / task / "train.jsonl")]
        test += [(task, s["input"], s["output"]) for s in read_jsonl(directory / task / "test.jsonl")]
    train_x, test_x = featurize([s[1] for s in train], [s[1] for s in test])
    routed = fit_predict(train_x, [s[0] for s in train], test_x)
    joint = fit_predict(train_x, [f"{s[0]}\t{s[2]}" for s in train], test_x)
    router_accuracy = sum(r == s[0] for r, s in zip(routed, test)) / len(test)
    whole_accuracy = sum(j == f"{s[0]}\t{s[2]}" for j, s in zip(joint, test)) / len(test)
    per_task = {task: sum(j == f"{s[0]}\t{s[2]}" for j, s in zip(joint, test) if s[0] == task) / sum(s[0] == task for s in test) for task in suite["tasks"]}
    return {"suite": suite["name"], "router_accuracy": router_accuracy, "whole_accuracy": whole_accuracy,
            "average_accuracy": sum(per_task.values()) / len(per_task), "test_samples": len(test), "sklearn": sklearn.__version__}


def main(argv):
    report = None
    if "--report" in argv:
        report = argv[argv.index("--report") + 1]
        argv = argv[:argv.index("--report")] + argv[argv.index("--report") + 2:]
    results = [run_suite(Path(d)) for d in argv]
    for r in results:
        print(f"{r['suite']}: router {r['router_accuracy'] * 100:.1f} %, joint whole {r['whole_accuracy'] * 100:.1f} %, average {r['average_accuracy'] * 100:.1f} % ({r['test_samples']} test samples, scikit-learn {r['sklearn']})")
    if report:
        Path(report).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
