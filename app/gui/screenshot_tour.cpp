#include "app/gui/screenshot_tour.h"

#include <QDir>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace aqlm::ui {

ScreenshotTour::ScreenshotTour(QWidget* window, const QString& outDir, QObject* parent)
    : QObject(parent), m_window(window), m_outDir(outDir) {}

void ScreenshotTour::addStep(const QString& fileName, Prepare prepare, int timeoutMs) {
    m_steps.push_back({fileName, std::move(prepare), timeoutMs});
}

void ScreenshotTour::start() {
    QDir().mkpath(m_outDir);
    QTimer::singleShot(0, this, [this] { runStep(0); });
}

void ScreenshotTour::runStep(int index) {
    if (index >= int(m_steps.size())) {
        Q_EMIT finished(m_failures);
        return;
    }
    const int generation = ++m_generation;
    const Step& step = m_steps[size_t(index)];
    std::fprintf(stderr, "screenshot %s: preparing\n", qPrintable(step.fileName));
    QTimer::singleShot(step.timeoutMs, this, [this, index, generation] {
        if (generation != m_generation) return;
        std::fprintf(stderr, "screenshot %s: timed out\n", qPrintable(m_steps[size_t(index)].fileName));
        ++m_failures;
        runStep(index + 1);
    });
    step.prepare([this, index, generation](QWidget* target) {
        if (generation != m_generation) return;
        ++m_generation;  // disarms the timeout
        QPointer<QWidget> guarded = target ? target : m_window;
        // Layouts settle and queued replots run before the grab.
        QTimer::singleShot(700, this, [this, index, guarded] { grab(index, guarded); });
    });
}

void ScreenshotTour::grab(int index, QWidget* target) {
    if (m_steps[size_t(index)].fileName.isEmpty()) {  // a step that only prepares what follows
        runStep(index + 1);
        return;
    }
    const QString path = QDir(m_outDir).filePath(m_steps[size_t(index)].fileName);
    const bool ok = target && target->grab().save(path, "PNG");
    std::fprintf(stderr, "screenshot %s: %s\n", qPrintable(path), ok ? "saved" : "FAILED");
    if (!ok) ++m_failures;
    runStep(index + 1);
}

}  // namespace aqlm::ui
