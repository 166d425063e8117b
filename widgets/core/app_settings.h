#pragma once
// User preferences, stored with QSettings (organisation "AQLM Studio", application "aqlm-studio").
// AQLM_STUDIO_DATA in the environment overrides the data folder: tests and tools/screenshots.sh
// use it to run on a fresh library without touching the user's.
#include "engine/api/runtime_options.h"

#include <QString>
#include <QVariantMap>

namespace aqlm::ui {

class AppSettings {
public:
    // Threads for engine work; 0 means all cores.
    static int threads();
    static void setThreads(int threads);

    // "cpu" or "cuda"; the engine falls back to CPU when CUDA is not available.
    static QString device();
    static void setDevice(const QString& device);
    // The threads and device every engine job is started with (read on the GUI thread, applied by the
    // engine on the job's worker thread). "cuda" asks for the automatic device: the engine uses the
    // GPU only where a job supports it.
    static aqlm::RuntimeOptions runtime();

    // Where library.sqlite3 and compressed models live. Default: QStandardPaths::AppDataLocation.
    static QString dataFolder();
    static void setDataFolder(const QString& folder);
    static QString defaultDataFolder();
    static QString libraryPath();  // dataFolder()/library.sqlite3
    static QString modelsFolder(); // dataFolder()/models: where compressions write by default

    // UI language as a locale name ("en", "de", "zh_CN"); empty means the system locale.
    static QString language();
    static void setLanguage(const QString& language);

    // The chat page's sampling settings, remembered per model (keyed by its path).
    static QVariantMap chatSampling(const QString& modelPath);
    static void setChatSampling(const QString& modelPath, const QVariantMap& values);
};

}  // namespace aqlm::ui
