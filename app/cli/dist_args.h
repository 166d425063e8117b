#pragma once
// The flags that make a command one rank of a run split across processes (quantize, finetune):
// --dist-store HOST:PORT --world-size N --rank R [--backend gloo|nccl] [--dist-timeout SECONDS].
#include "app/cli/arg_parser.h"
#include "engine/dist/process_group.h"

#include <memory>
#include <set>
#include <string>

namespace aqlm::cli {

std::set<std::string> distributedValueOptions(std::set<std::string> extra);

// Joins the group before any work; null without --dist-store. Incomplete flags are invalid_argument.
std::unique_ptr<ProcessGroup> joinProcessGroupIfAsked(const ArgParser& args);

}  // namespace aqlm::cli
