// iamd: a self-hosted AWS IAM/STS-compatible server. One binary, subcommands.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: iamd <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve      serve the IAM and STS APIs: iamd serve --listen 127.0.0.1:9300 --data ./data\n"
    "  account    add an account: iamd account create --data ./data [--account-id ID]\n"
    "  audit      print audit records: iamd audit --data ./data [--principal ARN] [--action iam:CreateUser]\n"
    "  keys       rotate the sealing key: iamd keys rotate --data ./data\n"
    "  eval       evaluate authorization cases: iamd eval < cases.jsonl > results.jsonl\n"
    "  version    print the version\n";

// stdio, not iostream: in this binary libstdc++ is static, and <iostream>
// would build its streams and locales at every start (half a millisecond,
// a few percent of a whole `iamd eval` run).
void Print(FILE* to, std::string_view text) { std::fwrite(text.data(), 1, text.size(), to); }

// Runs a command of libiamd_commands.so, which sits beside this binary (the
// real one: /proc/self/exe has symbolic links resolved).
int RunModuleCommand(int argc, char** argv) {
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string path = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(argv[0]);
  path.resize(path.rfind('/') + 1);  // npos + 1 == 0: no directory, the search path
  path += "libiamd_commands.so";
  void* module = ::dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (module == nullptr) {
    std::fprintf(stderr, "iamd: cannot load %s: %s\n", path.c_str(), ::dlerror());
    return 1;
  }
  using Command = int (*)(int, char**);
  auto run = reinterpret_cast<Command>(::dlsym(module, "iamd_run_command"));
  if (run == nullptr) {
    std::fprintf(stderr, "iamd: %s has no iamd_run_command\n", path.c_str());
    return 1;
  }
  return run(argc, argv);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Print(stderr, kUsage);
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "eval") return iam::cli::RunEval(argc, argv);
  if (command == "version" || command == "--version") {
    Print(stdout, "iamd 0.1.0\n");
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    Print(stdout, kUsage);
    return 0;
  }
  // Every other command is the module's; it answers -1 to one it does not know.
  int code = RunModuleCommand(argc, argv);
  if (code != -1) return code;
  std::fprintf(stderr, "iamd: unknown command '%.*s'\n", static_cast<int>(command.size()), command.data());
  Print(stderr, kUsage);
  return 2;
}
