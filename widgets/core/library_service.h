#pragma once
// The GUI's connection to the model library. Lives on the GUI thread: library writes are small
// single transactions, so pages call db() directly; code on other threads opens its own
// aqlm::ModelLibrary on path(). Whoever writes calls notifyChanged() so every page refreshes.
#include "engine/library/model_library.h"

#include <QObject>
#include <QString>

#include <memory>

namespace aqlm::ui {

class LibraryService : public QObject {
    Q_OBJECT
public:
    // Creates the folder and the database when missing. Throws aqlm::EngineError (damaged file,
    // newer schema, unwritable folder): the caller shows it.
    explicit LibraryService(const QString& dbPath, QObject* parent = nullptr);
    ~LibraryService() override;

    aqlm::ModelLibrary& db() { return *m_db; }
    QString path() const { return m_path; }

    void notifyChanged() { Q_EMIT changed(); }

Q_SIGNALS:
    void changed();

private:
    QString m_path;
    std::unique_ptr<aqlm::ModelLibrary> m_db;
};

}  // namespace aqlm::ui
