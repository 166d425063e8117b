#pragma once
// Start-up check: compression runs left 'queued' or 'running' by a crash or quit are offered for
// resume. Accepting queues them again (resume into the same output folder, same run id);
// declining marks them cancelled. The app calls this once the main window is shown; tests pass
// their own answer instead of the dialog.
#include "engine/library/library_records.h"

#include <QList>
#include <QString>

#include <functional>

class QWidget;

namespace aqlm::ui {

class JobLibraryRecorder;
class LibraryService;

using ResumeQuestion = std::function<bool(const QList<aqlm::RunRecord>& runs)>;

// One line per run for the dialog: "#3 aqlm of stories260K into /out (running)".
QString describeInterruptedRun(LibraryService& library, const aqlm::RunRecord& run);

// Returns the ids of the jobs queued (empty when nothing was interrupted or the user declined).
// Without ask, a QMessageBox on parent asks.
QList<int> offerInterruptedRuns(JobLibraryRecorder& recorder, LibraryService& library, QWidget* parent,
                                const ResumeQuestion& ask = {});

}  // namespace aqlm::ui
