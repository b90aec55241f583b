#!/bin/sh
# Runs one fuzz target for a while, on the stable toolchain, and keeps going after a
# crash (each is saved under fuzz/artifacts/TARGET/). From the repository root:
#
#     fuzz/run.sh rules 600        # TARGET SECONDS
#
# Needs `cargo install cargo-fuzz`. RUSTC_BOOTSTRAP=1 lets stable rustc take the
# sanitizer flags cargo-fuzz passes. The corpus grows in fuzz/corpus/TARGET (not
# committed); it starts from the committed seeds in fuzz/seeds/TARGET.
set -eu
target=$1
seconds=${2:-600}
mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -O "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -dict=fuzz/jixiao.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1
