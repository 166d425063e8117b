#pragma once
// Scripted screenshots for the docs (tools/screenshots.sh): a list of steps, each of which gets the
// window into a state (switch tab, wait for a job, open a dialog) and then says what to grab. Runs on
// the event loop, so jobs keep running and plots keep updating between steps.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

namespace aqlm::ui {

class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    // prepare() sets the scene and calls ready(widget) when it can be grabbed (widget null: the
    // tour's main window). A step that never calls ready() is abandoned after its timeout.
    using Ready = std::function<void(QWidget* target)>;
    using Prepare = std::function<void(const Ready& ready)>;

    ScreenshotTour(QWidget* window, const QString& outDir, QObject* parent = nullptr);
    void addStep(const QString& fileName, Prepare prepare, int timeoutMs = 600000);
    // Runs the steps in order; emits finished(failures) at the end.
    void start();

Q_SIGNALS:
    void finished(int failures);

private:
    struct Step {
        QString fileName;
        Prepare prepare;
        int timeoutMs;
    };
    void runStep(int index);
    void grab(int index, QWidget* target);

    QWidget* m_window;
    QString m_outDir;
    std::vector<Step> m_steps;
    int m_failures = 0;
    int m_generation = 0;  // ignores a late ready() from a step that already timed out
};

}  // namespace aqlm::ui
