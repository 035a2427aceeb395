#!/bin/sh
# Runs one sharded audit on Kubernetes: the Indexed Job of shards, then (only if every index succeeded) the merge.
#   deploy/kubernetes/run.sh 2027-q1            (run name: lowercase letters, digits and '-', at most 40)
# Edit indexed-job.yaml and merge-job.yaml first (image, regions, bucket, KMS key, signer fingerprint, N).
set -eu
RUN="${1:?usage: run.sh RUN-NAME (e.g. 2027-q1)}"
case "$RUN" in
  *[!a-z0-9-]* | "" | -*) echo "run.sh: run name must be lowercase letters, digits and '-'" >&2; exit 2 ;;
esac
[ "${#RUN}" -le 40 ] || { echo "run.sh: run name longer than 40 characters" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"

# Wait until a Job is Complete (0) or Failed (1).
wait_job() {
  while :; do
    state="$(kubectl get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')"
    case " $state " in
      *" Complete "*) return 0 ;;
      *" Failed "*) echo "run.sh: job $1 failed" >&2; return 1 ;;
    esac
    sleep 20
  done
}

sed "s/2026-q4/$RUN/g" "$HERE/indexed-job.yaml" | kubectl apply -f -
wait_job "auditpack-shards-$RUN"
sed "s/2026-q4/$RUN/g" "$HERE/merge-job.yaml" | kubectl apply -f -
wait_job "auditpack-merge-$RUN"
