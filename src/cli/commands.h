// The subcommands of `iamd`. Each returns the process exit code. RunEval is
// linked into the binary; the others are in libiamd_commands.so (main.cc).
#pragma once

namespace iam::cli {

// `iamd eval < cases.jsonl > results.jsonl` (shared/CONTRACTS.md).
int RunEval(int argc, char** argv);

// `iamd serve --listen HOST:PORT --data DIR [--store URL] [--tls-cert F --tls-key F]`.
int RunServe(int argc, char** argv);

// `iamd account create --data DIR [--store URL] [--account-id ID]`.
int RunAccount(int argc, char** argv);

// `iamd audit (--data DIR | --file PATH) [filters]`: prints matching audit records.
int RunAudit(int argc, char** argv);

// `iamd keys rotate --data DIR [--store URL]`: a new sealing key.
int RunKeys(int argc, char** argv);

}  // namespace iam::cli
