#include "widgets/core/library_service.h"

#include <QDir>
#include <QFileInfo>

namespace aqlm::ui {

LibraryService::LibraryService(const QString& dbPath, QObject* parent) : QObject(parent), m_path(dbPath) {
    QDir().mkpath(QFileInfo(dbPath).absolutePath());
    m_db = std::make_unique<aqlm::ModelLibrary>(dbPath.toStdString());
}

LibraryService::~LibraryService() = default;

}  // namespace aqlm::ui
