#include "widgets/library/interrupted_runs.h"

#include "widgets/bridge/job_library_recorder.h"
#include "widgets/core/library_service.h"

#include <QCoreApplication>
#include <QMessageBox>

namespace aqlm::ui {

// Gives lupdate and tr() one context for these free functions.
class InterruptedRuns {
    Q_DECLARE_TR_FUNCTIONS(aqlm::ui::InterruptedRuns)
};

namespace {
}  // namespace

QString describeInterruptedRun(LibraryService& library, const aqlm::RunRecord& run) {
    const auto base = library.db().findModel(run.baseModelId);
    return InterruptedRuns::tr("#%1 %2 of %3 into %4 (%5)")
        .arg(run.id)
        .arg(QString::fromStdString(run.method), base ? QString::fromStdString(base->name) : QString(),
             QString::fromStdString(run.outputPath), QString::fromLatin1(aqlm::runStatusName(run.status)));
}

QList<int> offerInterruptedRuns(JobLibraryRecorder& recorder, LibraryService& library, QWidget* parent,
                                const ResumeQuestion& ask) {
    const QList<aqlm::RunRecord> runs = recorder.interruptedRuns();
    if (runs.isEmpty()) return {};
    bool resume = false;
    if (ask) {
        resume = ask(runs);
    } else {
        QStringList lines;
        for (const aqlm::RunRecord& r : runs) lines << describeInterruptedRun(library, r);
        QMessageBox box(QMessageBox::Question, InterruptedRuns::tr("Unfinished compressions"),
                        InterruptedRuns::tr("These compressions were interrupted when AQLM Studio last closed:\n\n%1\n\n"
                           "Resume them? Finished blocks are kept. No marks them cancelled.")
                            .arg(lines.join(QLatin1Char('\n'))),
                        QMessageBox::Yes | QMessageBox::No, parent);
        box.setDefaultButton(QMessageBox::Yes);
        resume = box.exec() == QMessageBox::Yes;
    }
    QList<int> jobs;
    QStringList errors;
    for (const aqlm::RunRecord& r : runs) {
        if (!resume) {
            recorder.markCancelled(r.id);
            continue;
        }
        QString error;
        if (const int job = recorder.resumeStoredRun(r.id, &error))
            jobs << job;
        else
            errors << error;
    }
    if (!errors.isEmpty() && !ask)
        QMessageBox::warning(parent, InterruptedRuns::tr("Unfinished compressions"),
                             InterruptedRuns::tr("Some runs could not be resumed:\n%1").arg(errors.join(QLatin1Char('\n'))));
    return jobs;
}

}  // namespace aqlm::ui
