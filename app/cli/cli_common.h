#pragma once
// Pieces every subcommand shares: option sets, thread set-up, JSON output.
#include "app/cli/arg_parser.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace aqlm::cli {

// The engine's hints speak of settings ("choose another output folder"); on the command line the
// same settings are flags. Returns " (options: --out)" for the settings a message names, or "".
std::string flagsForHint(const std::string& message);

// Options that every command accepts.
std::set<std::string> commonValueOptions(std::set<std::string> extra);
std::set<std::string> commonFlags(std::set<std::string> extra);

// Applies --threads (default: all cores) and returns the count in use.
int applyThreads(const ArgParser& args);
// --threads N and --device auto|cpu|cuda applied to this thread for `job` (see engine/api/runtime_options.h);
// returns the thread count in use.
int applyRuntimeArgs(const ArgParser& args, const std::string& job);
// Applies --kernel auto|exact|reference|... (process-wide AQLM kernel policy).
void applyKernelPolicy(const ArgParser& args);
// Prints the JSON object as the last stdout line when --json was given.
void printJsonIfAsked(const ArgParser& args, const nlohmann::json& object);
// The single positional MODEL argument or an invalid_argument naming the command.
std::string requireModelArgument(const ArgParser& args, const std::string& command);

int runInfo(const std::vector<std::string>& args);
int runGenerate(const std::vector<std::string>& args);
int runPerplexity(const std::vector<std::string>& args);
int runQuantize(const std::vector<std::string>& args);
int runBits(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);

}  // namespace aqlm::cli
