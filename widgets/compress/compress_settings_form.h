#pragma once
// What to compress and how: model, output folder, preset, and the advanced fields a preset fills.
// options() turns the fields back into engine options; settingsChanged() fires on every edit.
#include "widgets/bridge/compression_job.h"
#include "widgets/compress/compression_preset.h"

#include "engine/api/types.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSpinBox;
class QToolButton;

namespace aqlm::ui {

class CalibrationTokenCounter;
class LibraryService;

class CompressSettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit CompressSettingsForm(QWidget* parent = nullptr);

    QString modelPath() const;
    void setModelPath(const QString& path);
    // The folder typed in, or, when left empty, <data folder>/models/<model>-<scheme> (made unique
    // with -2, -3, ... when that exists already).
    QString outDir() const;
    void setOutDir(const QString& path);
    QStringList calibrationFiles() const;  // the ';'-separated field, trimmed, empty parts dropped
    void setCalibrationFile(const QString& path);
    void setCalibrationFiles(const QStringList& paths);
    aqlm::CompressionOptions options() const;
    void applyPreset(int index);
    // Returns false (and changes nothing) when no preset has that name.
    bool applyPresetNamed(const QString& name);
    int presetCount() const;

    // Perplexity of the result right after compressing (empty dataPath when switched off).
    PostEvaluation evaluation() const;
    bool evaluateAfter() const;
    void setEvaluateAfter(bool on);
    QString evaluationFile() const;
    void setEvaluationFile(const QString& path);
    void setEvaluationWindows(int maxWindows);
    // A validation text from ../shared/data when one is found (AQLM_SHARED, beside the build, cwd).
    static QString defaultEvaluationFile();

    // Live checks: what stops these settings from running, each also shown next to its field.
    // Start is offered only when this is empty.
    QStringList problems() const;
    bool canStart() const { return problems().isEmpty(); }
    // Checks the fields again (the output folder may have filled since: after a run).
    void recheck();
    // Why preset index cannot run on the chosen model (empty: it fits, or no model yet).
    QString presetProblem(int index) const;
    bool presetEnabled(int index) const;
    int currentPreset() const;
    // The note shown under the preset when the form switched to a preset that fits the model.
    QString presetNote() const;
    // The model's headers (valid only when modelError() is empty and a model is chosen).
    const aqlm::ModelInfo& modelInfo() const { return m_info; }
    bool hasModelInfo() const { return m_hasInfo; }
    // The fields are shown but cannot be edited (a resumed run's settings while it runs).
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }
    // Fills the form with a stored run's settings (the resumed run): model, folder, every option.
    void showRun(const QString& modelPath, const QString& outDir, const aqlm::CompressionOptions& options);

    // Enables the "From library" menu of models to compress (null: files only).
    void setLibrary(LibraryService* library);
    QToolButton* libraryButton() const { return m_fromLibrary; }

Q_SIGNALS:
    void settingsChanged();

private:
    QWidget* calibrationRow();
    QWidget* pathRow(QLineEdit* edit, bool directory, bool save);
    QString schemeSuffix() const;
    void updateOutPlaceholder();
    void updateMethodFields();
    void fillFrom(const aqlm::CompressionOptions& options);
    void refreshModelInfo();
    void updatePresetAvailability();
    void updateProblems();
    QString modelProblem() const;
    QString outProblem() const;
    QString calibrationProblemText() const;
    // The texts' sizes do not decide whether they fill one window: the exact token count must.
    bool needsTokenCount() const;
    QString evaluationProblem() const;
    void fillLibraryMenu();

    QList<CompressionPreset> m_presets;
    QLineEdit* m_model = nullptr;
    QLineEdit* m_out = nullptr;
    QComboBox* m_preset = nullptr;
    QSpinBox* m_codebooks = nullptr;
    QSpinBox* m_bits = nullptr;
    QSpinBox* m_group = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_finetuneEpochs = nullptr;
    QSpinBox* m_samples = nullptr;
    QSpinBox* m_seqLen = nullptr;
    QLineEdit* m_calibration = nullptr;
    QCheckBox* m_evaluate = nullptr;
    QLineEdit* m_evalFile = nullptr;
    QSpinBox* m_evalWindows = nullptr;
    QToolButton* m_fromLibrary = nullptr;
    QMenu* m_libraryMenu = nullptr;
    QLabel* m_modelProblem = nullptr;
    QLabel* m_outProblem = nullptr;
    QLabel* m_calibrationProblem = nullptr;
    QLabel* m_presetNote = nullptr;
    QLabel* m_schemeProblem = nullptr;
    QLabel* m_evalProblem = nullptr;
    aqlm::ModelInfo m_info;
    bool m_hasInfo = false;
    CalibrationTokenCounter* m_tokenCounter = nullptr;
    QString m_infoPath;        // the path m_info / m_modelError describe
    QString m_modelError;
    bool m_readOnly = false;
    LibraryService* m_library = nullptr;
    aqlm::CompressionOptions m_base;  // the preset's fields the form does not show
};

}  // namespace aqlm::ui
