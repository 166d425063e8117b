#include "widgets/core/library_service.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

namespace aqlm::ui {

LibraryService::LibraryService(const QString& dbPath, QObject* parent) : QObject(parent), m_path(dbPath) {
    QDir().mkpath(QFileInfo(dbPath).absolutePath());
    m_db = std::make_unique<aqlm::ModelLibrary>(dbPath.toStdString());
}

LibraryService::~LibraryService() = default;

bool LibraryService::guarded(const QString& failure, const std::function<void()>& call, QString* error) {
    QString message;
    try {
        call();
        return true;
    } catch (const std::exception& e) {  // aqlm::EngineError names the file and the problem
        message = QString::fromUtf8(e.what());
    } catch (...) {
        message = tr("unknown error");
    }
    if (error) *error = message;
    Q_EMIT failed(failure.arg(message));
    return false;
}

}  // namespace aqlm::ui
