#pragma once
// A different seed every call and every run: random test data is fresh each time (a failure prints
// its inputs' shapes, and reruns explore new values), yet calls within a run never repeat.
#include <cstdint>
#include <random>

namespace aqlm::test {

inline uint64_t freshSeed() {
    static const uint64_t seed = std::random_device{}();
    static uint64_t counter = 0;
    return seed + counter++;
}

}  // namespace aqlm::test
