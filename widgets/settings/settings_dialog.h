#pragma once
// Preferences: engine threads (0 = all cores), device (CPU; CUDA only when the engine was built with
// it and a GPU is present), data folder (library and compressed models), UI language. Values are
// read from and written to AppSettings (QSettings) when the dialog is accepted.
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace aqlm::ui {

struct EngineCapabilities {
    bool cudaAvailable = false;
    QString buildInfo;
    static EngineCapabilities query();  // asks the engine (aqlm::cudaAvailable, engineBuildInfo)
};

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    SettingsDialog(const EngineCapabilities& capabilities, QWidget* parent = nullptr);

    int threads() const;
    QString device() const;       // "cpu" or "cuda"
    QString dataFolder() const;
    QString language() const;     // "" (system), "en", "de", "zh_CN"
    bool isCudaSelectable() const;

    void setThreads(int threads);
    void setDevice(const QString& device);
    void setDataFolder(const QString& folder);
    void setLanguage(const QString& language);

    void load();   // from AppSettings
    void save();   // to AppSettings

public Q_SLOTS:
    void accept() override;  // saves, then closes

private:
    void chooseDataFolder();

    EngineCapabilities m_capabilities;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_device = nullptr;
    QLineEdit* m_dataFolder = nullptr;
    QComboBox* m_language = nullptr;
};

}  // namespace aqlm::ui
