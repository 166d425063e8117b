#pragma once
// Shared flag that a long job polls; set from any thread (GUI, signal handler) to stop it promptly.
#include <atomic>
#include <stdexcept>

namespace aqlm {

class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

class CancelToken {
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    void reset() { m_cancelled.store(false, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void throwIfCancelled() const {
        if (isCancelled()) throw Cancelled();
    }

private:
    std::atomic<bool> m_cancelled{false};
};

}  // namespace aqlm
