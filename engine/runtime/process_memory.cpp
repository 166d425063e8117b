#include "engine/runtime/process_memory.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace aqlm {
namespace {

int64_t statusField(const char* key) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(status, line)) {
        if (line.rfind(prefix, 0) != 0) continue;
        std::istringstream fields(line.substr(prefix.size()));
        int64_t kib = 0;
        fields >> kib;
        return kib * 1024;
    }
    return 0;
}

}  // namespace

int64_t peakResidentBytes() { return statusField("VmHWM"); }
int64_t currentResidentBytes() { return statusField("VmRSS"); }
int64_t anonymousResidentBytes() { return statusField("RssAnon"); }

AnonymousMemorySampler::AnonymousMemorySampler() {
    m_peak = anonymousResidentBytes();
    m_thread = std::thread([this] {
        while (!m_stop.load()) {
            const int64_t now = anonymousResidentBytes();
            if (now > m_peak.load()) m_peak = now;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
}

AnonymousMemorySampler::~AnonymousMemorySampler() {
    m_stop = true;
    m_thread.join();
}

}  // namespace aqlm
