// The subcommands of the `iamd` binary. Each returns the process exit code.
#pragma once

namespace iam::cli {

// `iamd eval < cases.jsonl > results.jsonl` (shared/CONTRACTS.md).
int RunEval(int argc, char** argv);

}  // namespace iam::cli
