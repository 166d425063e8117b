#pragma once
// This process's resident memory, from /proc/self/status (0 where unavailable). Unlike getrusage's
// ru_maxrss, the peak counts only this program: a child's ru_maxrss also holds the RSS its parent
// had when it forked, which the exec carries over.
#include <atomic>
#include <cstdint>
#include <thread>

namespace aqlm {

int64_t peakResidentBytes();     // VmHWM: the high-water mark of resident memory
int64_t currentResidentBytes();  // VmRSS
int64_t anonymousResidentBytes();  // RssAnon: resident memory not backed by a file (excludes mapped weights)

// The kernel keeps no high-water mark of anonymous memory: this samples RssAnon every few
// milliseconds on its own thread for as long as it lives (benchmarks and --json reports).
class AnonymousMemorySampler {
public:
    AnonymousMemorySampler();
    ~AnonymousMemorySampler();
    AnonymousMemorySampler(const AnonymousMemorySampler&) = delete;
    AnonymousMemorySampler& operator=(const AnonymousMemorySampler&) = delete;
    int64_t peakBytes() const { return m_peak.load(); }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int64_t> m_peak{0};
    std::thread m_thread;
};

}  // namespace aqlm
