#include "widgets/compress/compression_preset.h"

#include <QCoreApplication>

namespace aqlm::ui {

namespace {

QString trPreset(const char* text) { return QCoreApplication::translate("aqlm::ui::CompressionPreset", text); }

CompressionPreset aqlmPreset(const char* name, int codebooks, int bits, int group) {
    CompressionPreset p{trPreset(name), {}};
    p.options.method = aqlm::QuantMethod::Aqlm;
    p.options.scheme.numCodebooks = codebooks;
    p.options.scheme.nbitsPerCodebook = bits;
    p.options.scheme.inGroupSize = group;
    p.pvTuningByDefault = codebooks * bits <= 2 * group;
    return p;
}

CompressionPreset intPreset(const char* name, aqlm::QuantMethod method, int bits, int group) {
    CompressionPreset p{trPreset(name), {}};
    p.options.method = method;
    p.options.bits = bits;
    p.options.groupSize = group;
    p.options.finetuneEpochs = 0;  // block fine-tuning is AQLM only
    return p;
}

}  // namespace

QList<CompressionPreset> compressionPresets() {
    QList<CompressionPreset> presets;
    presets << aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "2-bit best quality 1x16 g8"), 1, 16, 8)
            << aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "2-bit fast on CPU 2x8 g8"), 2, 8, 8)
            << aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "3-bit 2x12 g8"), 2, 12, 8)
            << aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "4-bit 2x15 g8"), 2, 15, 8)
            << aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "~1-bit 1x8 g8"), 1, 8, 8);
    // Seconds on stories260K: the settings the engine's own tests use, for trying the app out.
    CompressionPreset tiny = aqlmPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "Tiny test 1x8 g4"), 1, 8, 4);
    tiny.options.nsamples = 12;
    tiny.options.seqLen = 64;
    tiny.options.layer.maxEpochs = 3;
    tiny.options.layer.stepsPerEpoch = 10;
    tiny.options.layer.kmeansIterations = 10;
    tiny.options.finetuneEpochs = 2;
    tiny.options.finetuneBatch = 4;
    tiny.pvTuningByDefault = false;
    presets << tiny
            << intPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "GPTQ 4-bit g128"), aqlm::QuantMethod::Gptq, 4, 128)
            << intPreset(QT_TRANSLATE_NOOP("aqlm::ui::CompressionPreset", "RTN 4-bit g128"), aqlm::QuantMethod::Rtn, 4, 128);
    return presets;
}

}  // namespace aqlm::ui
