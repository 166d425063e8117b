#include "widgets/core/model_record_info.h"

#include "engine/api/engine_facade.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLocale>

namespace aqlm::ui {

QString libraryPathOf(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

qint64 diskUsage(const QString& path) {
    const QFileInfo info(path);
    if (!info.isDir()) return info.exists() ? info.size() : 0;
    qint64 total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

namespace {
// Folders named for their format ("reference-7M/hf") take their parent's name: "reference-7M (hf)".
QString displayNameFor(const QFileInfo& file) {
    const QString own = file.isDir() ? file.fileName() : file.completeBaseName();
    static const QStringList generic = {QStringLiteral("hf"), QStringLiteral("model"), QStringLiteral("models"),
                                        QStringLiteral("safetensors"), QStringLiteral("checkpoint"),
                                        QStringLiteral("weights")};
    if (!generic.contains(own.toLower())) return own;
    const QString parent = QFileInfo(file.absolutePath()).fileName();
    return parent.isEmpty() ? own : QStringLiteral("%1 (%2)").arg(parent, own);
}
}  // namespace

aqlm::ModelRecord modelRecordFromInfo(const aqlm::ModelInfo& info, const QString& path, qint64 bytesOnDisk) {
    const QString key = libraryPathOf(path);
    aqlm::ModelRecord r = aqlm::modelRecordFromInfo(info, key.toStdString(), displayNameFor(QFileInfo(key)).toStdString());
    r.bytesOnDisk = bytesOnDisk;
    return r;
}

aqlm::EvaluationRecord evaluationRecordFrom(const aqlm::EvalReport& report, qint64 modelId,
                                            const std::string& datasetPath, const std::string& datasetSha256) {
    aqlm::EvaluationRecord record;
    record.modelId = modelId;
    record.datasetPath = datasetPath;
    record.datasetSha256 = datasetSha256;
    record.seqLen = report.seqLen;
    record.windows = report.windows;
    record.predictions = report.predictions;
    record.perplexity = report.perplexity;
    record.stdError = report.stdError;
    record.meanNll = report.meanNll;
    return record;
}

aqlm::ModelRecord inspectModelRecord(const QString& path) {
    const aqlm::ModelInfo info = aqlm::inspectModel(libraryPathOf(path).toStdString());
    return modelRecordFromInfo(info, path, diskUsage(path));
}

namespace {
bool isHfFolder(const QDir& dir) {
    return dir.exists(QStringLiteral("config.json")) &&
           !dir.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty();
}

void collect(const QString& folder, QStringList* out) {
    const QDir dir(folder);
    if (isHfFolder(dir)) {
        out->append(libraryPathOf(folder));
        return;
    }
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("*.bin")}, QDir::Files, QDir::Name))
        out->append(libraryPathOf(f.absoluteFilePath()));
    // Hidden folders hold run state (.aqlm-run), not models.
    for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name))
        collect(sub.absoluteFilePath(), out);
}
}  // namespace

QStringList findModelCandidates(const QString& folder) {
    QStringList out;
    if (QFileInfo(folder).isDir()) collect(folder, &out);
    return out;
}

QString humanBytes(qint64 bytes) { return QLocale().formattedDataSize(bytes, 1); }

QString humanCount(qint64 count) {
    const char* suffixes[] = {"", "K", "M", "B", "T"};
    double value = double(count);
    int i = 0;
    while (value >= 1000.0 && i < 4) {
        value /= 1000.0;
        ++i;
    }
    if (i == 0) return QString::number(count);
    return QString::number(value, 'f', value < 10 ? 2 : 1) + QLatin1String(suffixes[i]);
}

}  // namespace aqlm::ui
