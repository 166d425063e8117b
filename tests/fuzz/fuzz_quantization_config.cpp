// A quantized folder's scheme: config.json's quantization_config (AQLM and integer), and the
// scheme text ("2x8g8") users and run.json give. Tensor-level checks (codes ranges, shapes) are in
// layers/hf_quantized_layout.cpp on LibTorch and are covered by tst_quantized_checkpoint instead.
#include "fuzz_input.h"

#include "engine/io/hf_config.h"
#include "engine/layers/hf_quantization_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "config.json");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const aqlm::HfQuantization q = aqlm::parseHfQuantization(aqlm::readJsonFile(path), path);
        if (q.kind == aqlm::HfQuantization::Kind::Aqlm) {
            // What we parsed must survive our own writer and reader unchanged.
            const aqlm::QuantScheme again = aqlm::QuantScheme::parse(q.scheme.toString());
            if (again.toString() != q.scheme.toString()) std::abort();
            (void)aqlm::aqlmBitsPerParameter(4096, 4096, q.scheme);
        }
        (void)aqlm::hfQuantizationJson(q, nlohmann::json::array()).dump();
    });
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const aqlm::QuantScheme s = aqlm::QuantScheme::parse(std::string(reinterpret_cast<const char*>(data), size));
        (void)aqlm::aqlmBitsPerParameter(256, 256, s);
    });
    return 0;
}
