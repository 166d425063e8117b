#include "app/cli/dist_args.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace aqlm::cli {

std::set<std::string> distributedValueOptions(std::set<std::string> extra) {
    extra.insert({"dist-store", "world-size", "rank", "backend", "dist-timeout"});
    return extra;
}

std::unique_ptr<ProcessGroup> joinProcessGroupIfAsked(const ArgParser& args) {
    if (!args.has("dist-store")) {
        if (args.has("world-size") || args.has("rank"))
            throw std::invalid_argument("--world-size and --rank need --dist-store HOST:PORT");
        return nullptr;
    }
    if (!args.has("world-size") || !args.has("rank"))
        throw std::invalid_argument("--dist-store needs --world-size N and --rank R");
    DistributedOptions o;
    o.store = args.get("dist-store");
    o.worldSize = static_cast<int>(args.getInt("world-size", 1));
    o.rank = static_cast<int>(args.getInt("rank", 0));
    o.backend = args.get("backend", "gloo");
    o.timeout = std::chrono::seconds(args.getInt("dist-timeout", 1800));
    std::fprintf(stderr, "rank %d of %d: joining %s (%s)\n", o.rank, o.worldSize, o.store.c_str(), o.backend.c_str());
    return connectProcessGroup(o);
}

}  // namespace aqlm::cli
