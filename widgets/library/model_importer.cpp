#include "widgets/library/model_importer.h"

#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"

#include <exception>

namespace aqlm::ui {

namespace {
struct Inspected {
    QString path;
    bool ok = false;
    aqlm::ModelRecord record;
    QString error;
};

Inspected inspect(const QString& path) {
    Inspected r;
    r.path = path;
    try {
        r.record = inspectModelRecord(path);
        r.ok = true;
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}
}  // namespace

ModelImporter::ModelImporter(LibraryService* library, QObject* parent) : QObject(parent), m_library(library) {
    qRegisterMetaType<aqlm::ui::ScanSummary>("aqlm::ui::ScanSummary");
    m_pool.setMaxThreadCount(1);
}

ModelImporter::~ModelImporter() {
    m_stopping = true;
    m_pool.waitForDone();  // results posted to this object afterwards die with it, unread
}

void ModelImporter::begin() {
    if (m_pending++ == 0) Q_EMIT busyChanged(true);
}

void ModelImporter::end() {
    if (--m_pending == 0) Q_EMIT busyChanged(false);
}

qint64 ModelImporter::store(const aqlm::ModelRecord& record, QString* error) {
    qint64 id = 0;
    m_library->guarded(tr("Could not add %1 to the library: %2").arg(QString::fromStdString(record.name), QStringLiteral("%1")),
                       [&] { id = m_library->db().addModel(record); }, error);
    return id;
}

void ModelImporter::importPath(const QString& path) {
    begin();
    m_pool.start([this, path] {
        const Inspected result = inspect(path);
        QMetaObject::invokeMethod(this, [this, result] {
            QString error = result.error;
            const qint64 id = result.ok ? store(result.record, &error) : 0;
            if (id) {
                m_library->notifyChanged();
                Q_EMIT imported(id);
            } else
                Q_EMIT importFailed(result.path, error);
            end();
        }, Qt::QueuedConnection);
    });
}

void ModelImporter::scanFolder(const QString& folder) {
    begin();
    m_pool.start([this, folder] {
        QList<Inspected> results;
        for (const QString& candidate : findModelCandidates(folder)) {
            if (m_stopping) break;
            results.append(inspect(candidate));
        }
        QMetaObject::invokeMethod(this, [this, folder, results] {
            ScanSummary summary;
            summary.folder = folder;
            for (const Inspected& r : results) {
                QString error = r.error;
                const qint64 id = r.ok ? store(r.record, &error) : 0;
                if (id)
                    summary.importedIds.append(id);
                else
                    summary.skipped.append({r.path, error});
            }
            if (!summary.importedIds.isEmpty()) m_library->notifyChanged();
            Q_EMIT scanFinished(summary);
            end();
        }, Qt::QueuedConnection);
    });
}

}  // namespace aqlm::ui
