#include "engine/runtime/threads.h"

#include <ATen/Parallel.h>

#include <thread>

namespace aqlm {

int defaultThreadCount() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(cores);
}

int setThreadCount(int n) {
    if (n <= 0) n = defaultThreadCount();
    at::set_num_threads(n);
    return at::get_num_threads();
}

}  // namespace aqlm
