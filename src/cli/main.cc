// iamd: a self-hosted AWS IAM/STS-compatible server. One binary, subcommands.
#include <cstring>
#include <iostream>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string_view command = argv[1];
  if (command == "eval") return iam::cli::RunEval(argc, argv);
  if (command == "serve") return iam::cli::RunServe(argc, argv);
  if (command == "account") return iam::cli::RunAccount(argc, argv);
  if (command == "audit") return iam::cli::RunAudit(argc, argv);
  if (command == "keys") return iam::cli::RunKeys(argc, argv);
  if (command == "version" || command == "--version") {
    std::cout << "iamd 0.1.0\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "iamd: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
