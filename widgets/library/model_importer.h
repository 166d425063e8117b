#pragma once
// Imports models into the library without blocking the GUI: the engine loads and validates each
// model on a worker thread (inspectModel), the row is written on the GUI thread. A model that
// fails validation writes nothing; the engine's message comes back through importFailed().
#include "engine/library/library_records.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QStringList>
#include <QThreadPool>

#include <atomic>

namespace aqlm::ui {

class LibraryService;

struct ScanSummary {
    QString folder;
    QList<qint64> importedIds;
    QList<QPair<QString, QString>> skipped;  // (path, why)
};

class ModelImporter : public QObject {
    Q_OBJECT
public:
    explicit ModelImporter(LibraryService* library, QObject* parent = nullptr);
    ~ModelImporter() override;  // stops a scan between models and waits for the worker

    // One model file or folder: imported(id) or importFailed(path, message).
    void importPath(const QString& path);
    // Every candidate below folder (findModelCandidates): scanFinished(summary) at the end.
    void scanFolder(const QString& folder);
    bool isBusy() const { return m_pending > 0; }

Q_SIGNALS:
    void imported(qint64 modelId);
    void importFailed(const QString& path, const QString& message);
    void scanFinished(const aqlm::ui::ScanSummary& summary);
    void busyChanged(bool busy);

private:
    // GUI thread: writes the row; returns the id, or 0 with *error set.
    qint64 store(const aqlm::ModelRecord& record, QString* error);
    void begin();
    void end();

    LibraryService* m_library;
    QThreadPool m_pool;  // one worker: models load one after another
    std::atomic<bool> m_stopping{false};
    int m_pending = 0;
};

}  // namespace aqlm::ui

Q_DECLARE_METATYPE(aqlm::ui::ScanSummary)
