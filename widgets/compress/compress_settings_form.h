#pragma once
// What to compress and how: model, output folder, preset, and the advanced fields a preset fills.
// options() turns the fields back into engine options; settingsChanged() fires on every edit.
#include "widgets/bridge/compression_job.h"
#include "widgets/compress/compression_preset.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QMenu;
class QSpinBox;
class QToolButton;

namespace aqlm::ui {

class LibraryService;

class CompressSettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit CompressSettingsForm(QWidget* parent = nullptr);

    QString modelPath() const;
    void setModelPath(const QString& path);
    // The folder typed in, or one derived from the model and the scheme when left empty.
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
    LibraryService* m_library = nullptr;
    aqlm::CompressionOptions m_base;  // the preset's fields the form does not show
};

}  // namespace aqlm::ui
