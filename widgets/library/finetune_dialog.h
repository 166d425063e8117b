#pragma once
// "Fine-tune…" on a compressed variant: the settings of a whole-model fine-tuning run (teacher =
// the variant's original, the fine-tuning text, PV-Tuning or global, steps; the rest under
// "Advanced"), checked live (Start stays disabled while anything is wrong), the memory estimate,
// then the run itself as a job with live plots, ETA, Cancel and Resume. The result is registered
// as a variant of the fine-tuned model by the JobLibraryRecorder.
#include "engine/api/finetune_types.h"
#include "engine/api/types.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace aqlm::ui {

class FinetuneMonitor;
class JobController;
class JobLibraryRecorder;
class LibraryService;

class FinetuneDialog : public QDialog {
    Q_OBJECT
public:
    FinetuneDialog(LibraryService* library, JobController* jobs, JobLibraryRecorder* recorder, qint64 studentModelId,
                   QWidget* parent = nullptr);

    qint64 studentModelId() const { return m_studentId; }
    QString studentPath() const { return m_studentPath; }
    QString teacherPath() const;
    QString outDir() const;
    aqlm::FinetuneOptions options() const;
    // What stops these settings from running (also shown under the form); empty: Start is offered.
    QStringList problems() const { return m_problems; }
    QString memoryText() const;
    int jobId() const { return m_jobId; }
    qint64 registeredModelId() const { return m_registeredModelId; }
    bool isRunning() const;

    QComboBox* teacherBox() const { return m_teacher; }
    QLineEdit* dataEdit() const { return m_data; }
    QComboBox* modeBox() const { return m_mode; }
    QSpinBox* stepsBox() const { return m_steps; }
    QLineEdit* outEdit() const { return m_out; }
    QSpinBox* tokensPerStepBox() const { return m_tokensPerStep; }
    QSpinBox* evalEveryBox() const { return m_evalEvery; }
    QToolButton* advancedButton() const { return m_advancedToggle; }
    QWidget* advancedPanel() const { return m_advanced; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* resumeButton() const { return m_resume; }
    FinetuneMonitor* monitor() const { return m_monitor; }

Q_SIGNALS:
    // The run ended and its result is in the library (modelId), or it could not be added.
    void variantRegistered(qint64 modelId);
    void statusMessage(const QString& message);

public Q_SLOTS:
    void start();
    void cancel();
    void resume();

private:
    QWidget* buildForm();
    QWidget* buildAdvanced();
    void fillTeachers();
    void connectJobs();
    void validate();
    void updateButtons();
    bool ownsCurrentJob() const;

    LibraryService* m_library;
    JobController* m_jobs;
    JobLibraryRecorder* m_recorder;
    qint64 m_studentId;
    QString m_studentPath;
    aqlm::ModelInfo m_studentInfo;
    QString m_studentError;

    QComboBox* m_teacher = nullptr;
    QLineEdit* m_data = nullptr;
    QComboBox* m_mode = nullptr;
    QSpinBox* m_steps = nullptr;
    QLineEdit* m_out = nullptr;
    QToolButton* m_advancedToggle = nullptr;
    QWidget* m_advanced = nullptr;
    QSpinBox* m_tokensPerStep = nullptr;
    QSpinBox* m_seqLen = nullptr;
    QDoubleSpinBox* m_lr = nullptr;
    QDoubleSpinBox* m_tau = nullptr;
    QDoubleSpinBox* m_codeLr = nullptr;
    QSpinBox* m_evalEvery = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_memory = nullptr;
    QLabel* m_problemLabel = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_resume = nullptr;
    FinetuneMonitor* m_monitor = nullptr;
    QStringList m_problems;
    int m_jobId = 0;
    qint64 m_registeredModelId = 0;
};

}  // namespace aqlm::ui
