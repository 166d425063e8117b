#pragma once
// The collective operations a run split across processes needs, over PyTorch's c10d (TCPStore for
// the rendezvous, ProcessGroupGloo for CPU tensors over TCP). Only process_group_c10d.cpp includes
// c10d headers; the rest of the engine sees this interface.
//
// Every operation either completes on all ranks or throws EngineError on every surviving rank: a
// rank that dies closes its sockets (its peers fail at once); one that hangs is caught by the timeout.
#include <ATen/ATen.h>

#include <chrono>
#include <memory>
#include <string>

namespace aqlm {

struct DistributedOptions {
    std::string store;       // "HOST:PORT" of the TCPStore; rank 0 serves it on PORT
    int worldSize = 1;
    int rank = 0;
    std::string backend = "gloo";  // gloo (CPU, TCP); nccl needs a CUDA build
    // How long one collective may wait for the others. It must cover the longest stretch one rank
    // works alone (rank 0's block fine-tuning): a dead rank is noticed at once, a hung one after this.
    std::chrono::seconds timeout{1800};
};

class ProcessGroup {
public:
    virtual ~ProcessGroup() = default;
    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    // t: a contiguous CPU tensor of the same shape and dtype on every rank.
    virtual void broadcast(at::Tensor& t, int root) = 0;
    virtual void allreduceSum(at::Tensor& t) = 0;
    virtual void barrier() = 0;
};

// Parses "HOST:PORT"; throws EngineError naming the text otherwise.
std::pair<std::string, uint16_t> parseStoreAddress(const std::string& text);

// Joins the group: rank 0 serves the TCPStore, every rank waits for all others (up to the timeout).
// Throws EngineError for bad options, an unreachable store, a missing rank or an unsupported backend.
std::unique_ptr<ProcessGroup> connectProcessGroup(const DistributedOptions& options);

// A tensor whose shape and dtype only the root knows: the others receive both. Returns the root's
// tensor on every rank (the root's own, unchanged).
at::Tensor broadcastTensor(ProcessGroup& group, const at::Tensor& t, int root);
// Text only the root knows (an error message, a name).
std::string broadcastText(ProcessGroup& group, const std::string& text, int root);

}  // namespace aqlm
