#pragma once
// The library as a tree: base models at the top, the variants compressed from each one as its
// children (a variant of a variant nests further). Display text is human-readable; SortRole holds
// the raw value so a QSortFilterProxyModel sorts sizes and numbers correctly. Reloads itself when
// the LibraryService reports a change.
#include "engine/library/library_records.h"

#include <QAbstractItemModel>

#include <optional>
#include <vector>

namespace aqlm::ui {

class LibraryService;

class LibraryTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // BitsPerParam: over the whole model; QuantizedBitsPerParam: over the quantized layers only
    // (the AQLM paper's number). For an original model both are its storage bits.
    enum Column { Name, Architecture, Parameters, FormatOrScheme, BitsPerParam, QuantizedBitsPerParam, SizeOnDisk,
                  BestPerplexity, Date, ColumnCount };
    enum Role { SortRole = Qt::UserRole, ModelIdRole };

    explicit LibraryTreeModel(LibraryService* library, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Index (column 0) of a model, invalid when it is not in the library.
    QModelIndex indexOfModel(qint64 modelId) const;
    qint64 modelId(const QModelIndex& index) const;

public Q_SLOTS:
    void reload();

private:
    struct Node {
        aqlm::ModelRecord model;
        std::optional<aqlm::VariantRecord> variant;
        std::optional<aqlm::EvaluationRecord> best;
        int parent = -1;  // index into m_nodes
        int row = 0;
        std::vector<int> children;
    };
    QVariant display(const Node& node, int column) const;
    QVariant sortValue(const Node& node, int column) const;
    const std::vector<int>& childrenOf(const QModelIndex& parent) const;

    LibraryService* m_library;
    std::vector<Node> m_nodes;
    std::vector<int> m_roots;
};

// Bits per parameter of the whole model: the variant's model bits, else the storage dtype's width.
double modelBitsPerParameter(const aqlm::ModelRecord& model, const std::optional<aqlm::VariantRecord>& variant);

}  // namespace aqlm::ui
