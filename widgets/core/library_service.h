#pragma once
// The GUI's connection to the model library. Lives on the GUI thread: library writes are small
// single transactions, so pages call db() directly; code on other threads opens its own
// aqlm::ModelLibrary on path(). Whoever writes calls notifyChanged() so every page refreshes.
#include "engine/library/model_library.h"

#include <QObject>
#include <QString>

#include <functional>
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

    // Every library write from the GUI goes through here (and reads a slot cannot do without): an
    // exception escaping a Qt slot aborts the app, so a refused write (read-only or damaged file,
    // full disk, locked database) becomes failed(failure.arg(the engine's message)), which the main
    // window shows in its status bar. failure holds %1 for that message; error, when given, receives
    // the bare message for callers that also show it themselves. Returns false when call threw.
    bool guarded(const QString& failure, const std::function<void()>& call, QString* error = nullptr);

Q_SIGNALS:
    void changed();
    void failed(const QString& message);

private:
    QString m_path;
    std::unique_ptr<aqlm::ModelLibrary> m_db;
};

}  // namespace aqlm::ui
