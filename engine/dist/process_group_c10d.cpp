#include "engine/dist/process_group.h"

#include "engine/api/engine_error.h"

#include <c10/util/Exception.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace aqlm {
namespace {

std::string withoutBacktrace(const std::exception& e) {
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&e)) return c10Error->what_without_backtrace();
    return e.what();
}

bool isLoopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0; }

// Where this rank listens for its peers: the loopback address for a local run, else the interface
// GLOO_SOCKET_IFNAME names (as in PyTorch) or the address this machine's hostname resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& storeHost) {
    if (const char* iface = std::getenv("GLOO_SOCKET_IFNAME"); iface && *iface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(iface);
    if (isLoopback(storeHost)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

class GlooProcessGroup : public ProcessGroup {
public:
    GlooProcessGroup(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::ProcessGroupGloo> group, int rank,
                     int worldSize)
        : m_store(std::move(store)), m_group(std::move(group)), m_rank(rank), m_worldSize(worldSize) {}

    int rank() const override { return m_rank; }
    int worldSize() const override { return m_worldSize; }

    void broadcast(at::Tensor& t, int root) override {
        run("broadcast", [&] {
            std::vector<at::Tensor> tensors{t};
            c10d::BroadcastOptions options;
            options.rootRank = root;
            m_group->broadcast(tensors, options)->wait();
        });
    }
    void allreduceSum(at::Tensor& t) override {
        run("all-reduce", [&] {
            std::vector<at::Tensor> tensors{t};
            m_group->allreduce(tensors)->wait();
        });
    }
    void barrier() override {
        run("barrier", [&] { m_group->barrier()->wait(); });
    }

private:
    // A failed collective means a peer died, hung past the timeout or dropped off the network.
    template <class F>
    void run(const char* what, F&& operation) {
        try {
            operation();
        } catch (const std::exception& e) {
            throw EngineError("distributed run (rank " + std::to_string(m_rank) + " of " + std::to_string(m_worldSize) + ")",
                              std::string(what) + " failed, another rank stopped or stopped answering: " +
                                  withoutBacktrace(e),
                              "see the other ranks' messages; start all ranks again with --resume to continue");
        }
    }

    c10::intrusive_ptr<c10d::Store> m_store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> m_group;
    int m_rank, m_worldSize;
};

void checkOptions(const DistributedOptions& o) {
    if (o.worldSize < 1) throw EngineError("", "world size " + std::to_string(o.worldSize) + " is below 1", "use --world-size 1 or more");
    if (o.rank < 0 || o.rank >= o.worldSize)
        throw EngineError("", "rank " + std::to_string(o.rank) + " is outside 0 to " + std::to_string(o.worldSize - 1),
                          "give every process a distinct --rank below --world-size");
    if (o.timeout.count() <= 0) throw EngineError("", "the distributed timeout must be positive");
    if (o.backend == "nccl") {
#ifdef AQLM_TORCH_CUDA
        throw EngineError("", "the NCCL backend is not wired into this build yet", "use --backend gloo");
#else
        throw EngineError("", "the NCCL backend needs a build with CUDA; this one has none", "use --backend gloo");
#endif
    }
    if (o.backend != "gloo") throw EngineError("", "unknown distributed backend '" + o.backend + "'", "use gloo or nccl");
}

}  // namespace

std::pair<std::string, uint16_t> parseStoreAddress(const std::string& text) {
    const auto colon = text.rfind(':');
    const std::string hint = "give the store as HOST:PORT, e.g. 127.0.0.1:29500";
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw EngineError(text, "not a store address", hint);
    const std::string portText = text.substr(colon + 1);
    if (portText.find_first_not_of("0123456789") != std::string::npos || portText.size() > 5)
        throw EngineError(text, "the port is not a number", hint);
    const int port = std::stoi(portText);
    if (port < 1 || port > 65535) throw EngineError(text, "the port is outside 1 to 65535", hint);
    return {text.substr(0, colon), static_cast<uint16_t>(port)};
}

std::unique_ptr<ProcessGroup> connectProcessGroup(const DistributedOptions& options) {
    checkOptions(options);
    const auto [host, port] = parseStoreAddress(options.store);
    const std::string where = "distributed store " + options.store;
    c10::intrusive_ptr<c10d::Store> store;
    try {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = port;
        storeOptions.isServer = options.rank == 0;
        storeOptions.numWorkers = static_cast<size_t>(options.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = options.timeout;
        store = c10::make_intrusive<c10d::TCPStore>(host, storeOptions);
    } catch (const std::exception& e) {
        throw EngineError(where, (options.rank == 0 ? "cannot serve the store or not every rank joined: "
                                                    : "cannot reach the store or not every rank joined: ") +
                                     withoutBacktrace(e),
                          "start rank 0 first with a free port, the same --world-size on every rank, and a host "
                          "every rank can reach");
    }
    try {
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(options.timeout);
        groupOptions->devices.push_back(glooDevice(host));
        auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, options.rank, options.worldSize, groupOptions);
        return std::make_unique<GlooProcessGroup>(store, group, options.rank, options.worldSize);
    } catch (const std::exception& e) {
        throw EngineError(where, "the ranks could not connect to each other: " + withoutBacktrace(e),
                          "check that every rank is running and that their hosts can reach each other");
    }
}

at::Tensor broadcastTensor(ProcessGroup& group, const at::Tensor& t, int root) {
    constexpr int kMaxDims = 8;
    // Header: dtype, number of dimensions, then the sizes.
    at::Tensor header = at::zeros({2 + kMaxDims}, at::kLong);
    if (group.rank() == root) {
        if (t.dim() > kMaxDims) throw EngineError("", "cannot share a tensor of more than 8 dimensions");
        header[0] = static_cast<int64_t>(t.scalar_type());
        header[1] = t.dim();
        for (int64_t d = 0; d < t.dim(); ++d) header[2 + d] = t.size(d);
    }
    group.broadcast(header, root);
    if (group.rank() == root) {
        at::Tensor data = t.detach().contiguous();  // trainable parameters too: c10d writes in place
        if (data.numel() > 0) group.broadcast(data, root);
        return t;
    }
    std::vector<int64_t> shape;
    for (int64_t d = 0; d < header[1].item<int64_t>(); ++d) shape.push_back(header[2 + d].item<int64_t>());
    at::Tensor data = at::empty(shape, at::TensorOptions().dtype(static_cast<at::ScalarType>(header[0].item<int64_t>())));
    if (data.numel() > 0) group.broadcast(data, root);
    return data;
}

std::string broadcastText(ProcessGroup& group, const std::string& text, int root) {
    at::Tensor bytes = at::empty({static_cast<int64_t>(text.size())}, at::kByte);
    if (!text.empty()) std::memcpy(bytes.data_ptr(), text.data(), text.size());
    at::Tensor shared = broadcastTensor(group, bytes, root);
    return std::string(static_cast<const char*>(shared.data_ptr()), static_cast<size_t>(shared.numel()));
}

}  // namespace aqlm
