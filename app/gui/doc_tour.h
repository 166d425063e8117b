#pragma once
// The documentation tour (aqlm-studio --tour DIR, driven by tools/screenshots.sh): imports models
// into the (fresh) library, runs a small compression, an evaluation and two chats, and saves a PNG
// of every page and of the settings dialog into DIR.
#include <QString>
#include <QStringList>

namespace aqlm::ui {

class MainWindow;
class ScreenshotTour;

struct DocTourInputs {
    QStringList models;      // imported in order; the first is compressed, evaluated and chatted with
    QString calibration;     // calibration text for the compression
    QString evaluation;      // text for the Evaluate page (and the compression's own evaluation)
    QString preset;          // compression preset name
    QString outDir;          // where the compressed variant goes
};

void addDocumentationTour(ScreenshotTour& tour, MainWindow& window, const DocTourInputs& inputs);

}  // namespace aqlm::ui
