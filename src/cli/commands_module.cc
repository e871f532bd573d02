// The entry point of libiamd_commands.so: the commands that need the server's
// layers (see src/cli/CMakeLists.txt for why they are not in `iamd` itself).
// Returns -1 for a command it does not have; main.cc then says so.
#include <string_view>

#include "cli/commands.h"

extern "C" __attribute__((visibility("default"))) int iamd_run_command(int argc, char** argv) {
  std::string_view command = argv[1];
  if (command == "serve") return iam::cli::RunServe(argc, argv);
  if (command == "account") return iam::cli::RunAccount(argc, argv);
  if (command == "audit") return iam::cli::RunAudit(argc, argv);
  if (command == "keys") return iam::cli::RunKeys(argc, argv);
  return -1;
}
