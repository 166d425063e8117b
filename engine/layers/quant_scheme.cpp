#include "engine/api/engine_error.h"
#include "engine/api/quant_types.h"

#include <cctype>
#include <climits>
#include <regex>

namespace aqlm {

const char* quantMethodName(QuantMethod method) {
    switch (method) {
    case QuantMethod::Aqlm: return "aqlm";
    case QuantMethod::Gptq: return "gptq";
    case QuantMethod::Rtn: return "rtn";
    }
    return "aqlm";
}

QuantMethod parseQuantMethod(const std::string& text) {
    for (QuantMethod m : {QuantMethod::Aqlm, QuantMethod::Gptq, QuantMethod::Rtn})
        if (text == quantMethodName(m)) return m;
    throw EngineError("", "unknown compression method '" + text + "'", "the methods are aqlm, gptq and rtn");
}

const char* codebookUpdateName(CodebookUpdate update) {
    return update == CodebookUpdate::Exact ? "exact" : "adam";
}

CodebookUpdate parseCodebookUpdate(const std::string& text) {
    for (CodebookUpdate u : {CodebookUpdate::Exact, CodebookUpdate::Adam})
        if (text == codebookUpdateName(u)) return u;
    throw EngineError("", "unknown codebook update '" + text + "'", "the codebook updates are exact and adam");
}

LayerSplit parseLayerSplit(const std::string& text) {
    if (text == "auto") return LayerSplit::Auto;
    if (text == "layers") return LayerSplit::Layers;
    if (text == "rows") return LayerSplit::Rows;
    throw EngineError("", "unknown layer split '" + text + "'", "the layer splits are auto, layers and rows");
}

std::string intSchemeLabel(int bits, int groupSize) {
    return "int" + std::to_string(bits) + " g" + std::to_string(groupSize);
}

std::string QuantScheme::toString() const {
    return std::to_string(numCodebooks) + "x" + std::to_string(nbitsPerCodebook) + "g" + std::to_string(inGroupSize);
}

QuantScheme QuantScheme::parse(const std::string& text) {
    static const std::regex pattern(R"(^\s*(\d+)\s*x\s*(\d+)\s*[gG]\s*(\d+)\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
        throw EngineError("", "unknown scheme '" + text + "'", "write MxBgG, e.g. 1x16g8, 2x8g8, 8x8g32");
    // More digits than any supported value: std::stoi would throw out_of_range (found by
    // fuzz_quantization_config); INT_MAX fails the range checks below with a clear message.
    const auto number = [](const std::string& digits) { return digits.size() > 6 ? INT_MAX : std::stoi(digits); };
    QuantScheme s;
    s.numCodebooks = number(m[1]);
    s.nbitsPerCodebook = number(m[2]);
    s.inGroupSize = number(m[3]);
    if (s.numCodebooks < 1 || s.numCodebooks > 16)
        throw EngineError("", "scheme '" + text + "': 1 to 16 codebooks are supported");
    if (s.nbitsPerCodebook < 1 || s.nbitsPerCodebook > 16)
        throw EngineError("", "scheme '" + text + "': 1 to 16 bits per codebook are supported");
    if (s.inGroupSize < 1 || s.inGroupSize > 64)
        throw EngineError("", "scheme '" + text + "': group size must be between 1 and 64");
    return s;
}

double aqlmBitsPerParameter(int64_t dOut, int64_t dIn, const QuantScheme& s) {
    const double codes = double(dOut) * double(dIn / s.inGroupSize) * s.numCodebooks * s.nbitsPerCodebook;
    const double codebooks = 16.0 * s.inGroupSize * s.numCodebooks * double(s.codebookSize());
    const double scales = 16.0 * double(dOut);
    return (codes + codebooks + scales) / (double(dOut) * double(dIn));
}

double intBitsPerParameter(int64_t dOut, int64_t dIn, int bits, int groupSize) {
    const double groups = double(dOut) * double((dIn + groupSize - 1) / groupSize);
    return (double(dOut) * double(dIn) * bits + groups * 32.0) / (double(dOut) * double(dIn));
}

}  // namespace aqlm
