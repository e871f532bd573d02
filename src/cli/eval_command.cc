#include <cstdio>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "policy/eval_case.h"

namespace iam::cli {

int RunEval(int argc, char** argv) {
  (void)argv;
  if (argc > 2) {
    std::cerr << "usage: iamd eval < cases.jsonl > results.jsonl\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line, out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines carry no case
    out = policy::EvaluateCaseLine(line);
    out.push_back('\n');
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace iam::cli
