#include "widgets/bridge/compression_settings_json.h"

#include "engine/api/engine_error.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace aqlm::ui {

namespace {
// JSON numbers are doubles: 64-bit integers travel as decimal text so seeds survive exactly.
QJsonValue bigInt(uint64_t v) { return QString::number(v); }
uint64_t readBigInt(const QJsonObject& o, const char* key, uint64_t fallback) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isString()) return v.toString().toULongLong();
    if (v.isDouble()) return uint64_t(v.toDouble());
    return fallback;
}
}  // namespace

QJsonObject compressionOptionsToJson(const aqlm::CompressionOptions& o) {
    QJsonObject layer{{"beam_size", o.layer.beamSize},
                      {"max_epochs", o.layer.maxEpochs},
                      {"relative_tolerance", o.layer.relativeTolerance},
                      {"steps_per_epoch", o.layer.stepsPerEpoch},
                      {"learning_rate", o.layer.learningRate},
                      {"kmeans_iterations", o.layer.kmeansIterations},
                      {"kmeans_max_points", bigInt(uint64_t(o.layer.kmeansMaxPoints))},
                      {"seed", bigInt(o.layer.seed)}};
    QJsonArray calibration;
    for (const std::string& f : o.calibrationFiles) calibration.append(QString::fromStdString(f));
    QJsonObject j{{"method", QString::fromLatin1(aqlm::quantMethodName(o.method))},
                  {"calibration_files", calibration},
                  {"nsamples", bigInt(uint64_t(o.nsamples))},
                  {"seq_len", bigInt(uint64_t(o.seqLen))},
                  {"eval_windows_per_block", bigInt(uint64_t(o.evalWindowsPerBlock))},
                  {"seed", bigInt(o.seed)},
                  {"resume", o.resume}};
    // Only the keys of the chosen method: an RTN run stores no codebooks, an AQLM run no integer bits.
    switch (o.method) {
    case aqlm::QuantMethod::Aqlm:
        j.insert("scheme", QString::fromStdString(o.scheme.toString()));
        j.insert("layer", layer);
        j.insert("finetune_epochs", o.finetuneEpochs);
        j.insert("finetune_learning_rate", o.finetuneLearningRate);
        j.insert("finetune_batch", bigInt(uint64_t(o.finetuneBatch)));
        j.insert("validation_fraction", o.validationFraction);
        break;
    case aqlm::QuantMethod::Gptq:
        j.insert("act_order", o.actOrder);
        j.insert("dampening", o.dampening);
        [[fallthrough]];
    case aqlm::QuantMethod::Rtn:
        j.insert("bits", o.bits);
        j.insert("group_size", o.groupSize);
        break;
    }
    return j;
}

aqlm::CompressionOptions compressionOptionsFromJson(const QJsonObject& j) {
    aqlm::CompressionOptions o;
    o.method = aqlm::parseQuantMethod(j.value("method").toString(QString::fromLatin1(aqlm::quantMethodName(o.method))).toStdString());
    if (j.contains("scheme")) o.scheme = aqlm::QuantScheme::parse(j.value("scheme").toString().toStdString());
    const QJsonObject l = j.value("layer").toObject();
    o.layer.beamSize = l.value("beam_size").toInt(o.layer.beamSize);
    o.layer.maxEpochs = l.value("max_epochs").toInt(o.layer.maxEpochs);
    o.layer.relativeTolerance = l.value("relative_tolerance").toDouble(o.layer.relativeTolerance);
    o.layer.stepsPerEpoch = l.value("steps_per_epoch").toInt(o.layer.stepsPerEpoch);
    o.layer.learningRate = l.value("learning_rate").toDouble(o.layer.learningRate);
    o.layer.kmeansIterations = l.value("kmeans_iterations").toInt(o.layer.kmeansIterations);
    o.layer.kmeansMaxPoints = int64_t(readBigInt(l, "kmeans_max_points", uint64_t(o.layer.kmeansMaxPoints)));
    o.layer.seed = readBigInt(l, "seed", o.layer.seed);
    o.bits = j.value("bits").toInt(o.bits);
    o.groupSize = j.value("group_size").toInt(o.groupSize);
    o.actOrder = j.value("act_order").toBool(o.actOrder);
    o.dampening = j.value("dampening").toDouble(o.dampening);
    o.calibrationFiles.clear();
    for (const QJsonValue& f : j.value("calibration_files").toArray()) o.calibrationFiles.push_back(f.toString().toStdString());
    o.nsamples = int64_t(readBigInt(j, "nsamples", uint64_t(o.nsamples)));
    o.seqLen = int64_t(readBigInt(j, "seq_len", uint64_t(o.seqLen)));
    o.finetuneEpochs = j.value("finetune_epochs").toInt(o.finetuneEpochs);
    o.finetuneLearningRate = j.value("finetune_learning_rate").toDouble(o.finetuneLearningRate);
    o.finetuneBatch = int64_t(readBigInt(j, "finetune_batch", uint64_t(o.finetuneBatch)));
    o.validationFraction = j.value("validation_fraction").toDouble(o.validationFraction);
    o.evalWindowsPerBlock = int64_t(readBigInt(j, "eval_windows_per_block", uint64_t(o.evalWindowsPerBlock)));
    o.seed = readBigInt(j, "seed", o.seed);
    o.resume = j.value("resume").toBool(o.resume);
    // Integer methods store no fine-tuning: they never fine-tune (what the form sends the engine).
    if (o.method != aqlm::QuantMethod::Aqlm && !j.contains("finetune_epochs")) o.finetuneEpochs = 0;
    return o;
}

QString runSettingsJson(const aqlm::CompressionOptions& options, const PostEvaluation& evaluation) {
    const QJsonObject eval{{"data_path", evaluation.dataPath},
                           {"seq_len", bigInt(uint64_t(evaluation.seqLen))},
                           {"max_windows", bigInt(uint64_t(evaluation.maxWindows))}};
    const QJsonObject root{{"options", compressionOptionsToJson(options)}, {"evaluation", eval}};
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
}

void parseRunSettingsJson(const QString& text, aqlm::CompressionOptions* options, PostEvaluation* evaluation) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject())
        throw aqlm::EngineError("runs.settings_json", "not a JSON object: " + error.errorString().toStdString());
    const QJsonObject root = doc.object();
    if (options) *options = compressionOptionsFromJson(root.value("options").toObject());
    if (evaluation) {
        const QJsonObject e = root.value("evaluation").toObject();
        evaluation->dataPath = e.value("data_path").toString();
        evaluation->seqLen = qint64(readBigInt(e, "seq_len", 0));
        evaluation->maxWindows = qint64(readBigInt(e, "max_windows", 0));
    }
}

namespace {
QJsonObject parseObject(const QString& text) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject())
        throw aqlm::EngineError("runs.settings_json", "not a JSON object: " + error.errorString().toStdString());
    return doc.object();
}
}  // namespace

QJsonObject finetuneOptionsToJson(const aqlm::FinetuneOptions& o) {
    QJsonArray data;
    for (const std::string& f : o.dataFiles) data.append(QString::fromStdString(f));
    return {{"mode", QString::fromLatin1(aqlm::finetuneModeName(o.mode))},
            {"data_files", data},
            {"steps", bigInt(uint64_t(o.steps))},
            {"tokens_per_step", bigInt(uint64_t(o.tokensPerStep))},
            {"seq_len", bigInt(uint64_t(o.seqLen))},
            {"learning_rate", o.learningRate},
            {"train_embeddings", o.trainEmbeddings},
            {"tau", o.tau},
            {"code_learning_rate", o.codeLearningRate},
            {"beam_size", o.beamSize},
            {"trust_ratio", o.trustRatio},
            {"delta_decay", o.deltaDecay},
            {"eval_every", bigInt(uint64_t(o.evalEvery))},
            {"eval_windows", bigInt(uint64_t(o.evalWindows))},
            {"validation_fraction", o.validationFraction},
            {"patience", o.patience},
            {"kl_chunk_tokens", bigInt(uint64_t(o.klChunkTokens))},
            {"seed", bigInt(o.seed)},
            {"resume", o.resume}};
}

aqlm::FinetuneOptions finetuneOptionsFromJson(const QJsonObject& j) {
    aqlm::FinetuneOptions o;
    o.mode = aqlm::parseFinetuneMode(j.value("mode").toString(QString::fromLatin1(aqlm::finetuneModeName(o.mode))).toStdString());
    for (const QJsonValue& f : j.value("data_files").toArray()) o.dataFiles.push_back(f.toString().toStdString());
    o.steps = int64_t(readBigInt(j, "steps", uint64_t(o.steps)));
    o.tokensPerStep = int64_t(readBigInt(j, "tokens_per_step", uint64_t(o.tokensPerStep)));
    o.seqLen = int64_t(readBigInt(j, "seq_len", uint64_t(o.seqLen)));
    o.learningRate = j.value("learning_rate").toDouble(o.learningRate);
    o.trainEmbeddings = j.value("train_embeddings").toBool(o.trainEmbeddings);
    o.tau = j.value("tau").toDouble(o.tau);
    o.codeLearningRate = j.value("code_learning_rate").toDouble(o.codeLearningRate);
    o.beamSize = j.value("beam_size").toInt(o.beamSize);
    o.trustRatio = j.value("trust_ratio").toDouble(o.trustRatio);
    o.deltaDecay = j.value("delta_decay").toDouble(o.deltaDecay);
    o.evalEvery = int64_t(readBigInt(j, "eval_every", uint64_t(o.evalEvery)));
    o.evalWindows = int64_t(readBigInt(j, "eval_windows", uint64_t(o.evalWindows)));
    o.validationFraction = j.value("validation_fraction").toDouble(o.validationFraction);
    o.patience = j.value("patience").toInt(o.patience);
    o.klChunkTokens = int64_t(readBigInt(j, "kl_chunk_tokens", uint64_t(o.klChunkTokens)));
    o.seed = readBigInt(j, "seed", o.seed);
    o.resume = j.value("resume").toBool(o.resume);
    return o;
}

QString finetuneRunSettingsJson(const FinetuneStage& stage) {
    QJsonObject f = finetuneOptionsToJson(stage.options);
    f.insert("teacher", stage.teacherPath);
    f.insert("out_dir", stage.outDir);
    return QString::fromUtf8(QJsonDocument(QJsonObject{{"finetune", f}}).toJson(QJsonDocument::Compact));
}

FinetuneStage parseFinetuneRunSettingsJson(const QString& text) {
    const QJsonObject f = parseObject(text).value("finetune").toObject();
    FinetuneStage stage;
    stage.enabled = true;
    stage.options = finetuneOptionsFromJson(f);
    stage.teacherPath = f.value("teacher").toString();
    stage.outDir = f.value("out_dir").toString();
    return stage;
}

bool isFinetuneMethod(const QString& method) {
    return method == QLatin1String("pv") || method == QLatin1String("global");
}

}  // namespace aqlm::ui
