<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AddStaffDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="90"/>
        <source>Add a staff member</source>
        <translation>Adicionar membro da equipe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="90"/>
        <source>Add</source>
        <translation>Adicionar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="95"/>
        <source>Name as shown on the sign-in screen</source>
        <translation>Nome exibido na tela de entrada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="106"/>
        <source>PIN (4 to 8 digits)</source>
        <translation>PIN (4 a 8 dígitos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="107"/>
        <source>The same PIN again</source>
        <translation>Repita o PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="115"/>
        <source>Enter the person&apos;s name.</source>
        <translation>Digite o nome da pessoa.</translation>
    </message>
</context>
<context>
    <name>Amounts</name>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="61"/>
        <source>Type an amount.</source>
        <translation>Digite um valor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="63"/>
        <source>“{text}” is not an amount here: write it like {example}.</source>
        <translation>“{text}” não é um valor aqui: escreva assim: {example}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="67"/>
        <location filename="../../pos_app/ui/formatting.py" line="164"/>
        <source>“{text}” has more than {count} decimal places.</source>
        <translation>“{text}” tem mais de {count} casas decimais.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="71"/>
        <source>“{text}” is too large an amount.</source>
        <translation>“{text}” é um valor grande demais.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="75"/>
        <source>“{text}” is below zero: type the amount without a sign.</source>
        <translation>“{text}” é menor que zero: digite o valor sem sinal.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="78"/>
        <source>“{text}” is not an amount (like {example}).</source>
        <translation>“{text}” não é um valor (como {example}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="148"/>
        <source>Type a percentage.</source>
        <translation>Digite uma porcentagem.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="152"/>
        <source>“{text}” is not a percentage (like {example}).</source>
        <translation>“{text}” não é uma porcentagem (como {example}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/formatting.py" line="158"/>
        <source>“{text}” is more than 100 %.</source>
        <translation>“{text}” é mais de 100 %.</translation>
    </message>
</context>
<context>
    <name>BackOfficeScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="59"/>
        <source>Back to selling (F2)</source>
        <translation>Voltar às vendas (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="100"/>
        <source>Chargebacks</source>
        <translation>Contestações</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="96"/>
        <source>Catalog</source>
        <translation>Catálogo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="83"/>
        <source>Products</source>
        <translation>Produtos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="84"/>
        <source>Categories</source>
        <translation>Categorias</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="85"/>
        <source>Modifier groups</source>
        <translation>Grupos de opções</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="89"/>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="90"/>
        <source>Printers &amp;&amp; drawer</source>
        <translation>Impressoras &amp;&amp; gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="97"/>
        <source>Stock &amp;&amp; 86</source>
        <translation>Estoque &amp;&amp; 86</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="98"/>
        <source>Staff</source>
        <translation>Equipe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="91"/>
        <source>Card reader</source>
        <translation>Leitor de cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="99"/>
        <source>Sales</source>
        <translation>Vendas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="92"/>
        <source>Sync</source>
        <translation>Sincronização</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="93"/>
        <source>Fees &amp;&amp; web console</source>
        <translation>Taxas e console web</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="101"/>
        <source>Shop set-up</source>
        <translation>Configurar loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="132"/>
        <source>Sales charts need the PySide6-Addons package ({error}).</source>
        <translation>Os gráficos de vendas precisam do pacote PySide6-Addons ({error}).</translation>
    </message>
</context>
<context>
    <name>CardReaderTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="32"/>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="41"/>
        <source>Reader</source>
        <translation>Leitor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="40"/>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="42"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="45"/>
        <source>Stripe key</source>
        <translation>Chave Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="54"/>
        <source>Restricted key: rk_live_… or rk_test_…</source>
        <translation>Chave restrita: rk_live_… ou rk_test_…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="56"/>
        <source>Save key</source>
        <translation>Salvar chave</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="64"/>
        <source>Pair a reader</source>
        <translation>Parear um leitor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="68"/>
        <source>Registration code shown on the reader</source>
        <translation>Código de registro exibido no leitor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="72"/>
        <source>Register reader</source>
        <translation>Registrar leitor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="97"/>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="182"/>
        <source>Saved key: {key}</source>
        <translation>Chave salva: {key}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="97"/>
        <source>No key saved</source>
        <translation>Nenhuma chave salva</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="104"/>
        <source>The keyring could not be read.</source>
        <translation>Não foi possível ler o chaveiro do sistema.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="114"/>
        <source>Demo (built-in practice reader, no real money)</source>
        <translation>Demonstração (leitor de treino embutido, sem dinheiro real)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="115"/>
        <source>Test (Stripe test mode, no real money)</source>
        <translation>Teste (modo de teste do Stripe, sem dinheiro real)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="116"/>
        <source>Live (real payments)</source>
        <translation>Produção (pagamentos reais)</translation>
    </message>
    <message>
        <source>None paired</source>
        <translation type="vanished">Nenhum pareado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="124"/>
        <source>Save a Stripe key first: demo mode uses the practice reader.</source>
        <translation>Salve primeiro uma chave Stripe: o modo de demonstração usa o leitor de treino.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="139"/>
        <source>The built-in practice reader (no pairing needed)</source>
        <translation>O leitor de treino embutido (não precisa parear)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="141"/>
        <source>None paired yet: register one below</source>
        <translation>Nenhum pareado ainda: registre um abaixo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="148"/>
        <source>Online: {reader}</source>
        <translation>Online: {reader}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="154"/>
        <source>Not available: {reason}</source>
        <translation>Indisponível: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="175"/>
        <source>Saving the key…</source>
        <translation>Salvando a chave…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="186"/>
        <source>Key saved ({key}). Reconnecting the reader…</source>
        <translation>Chave salva ({key}). Reconectando o leitor…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="195"/>
        <source>The key could not be saved.</source>
        <translation>Não foi possível salvar a chave.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="206"/>
        <source>Enter the registration code the reader shows.</source>
        <translation>Digite o código de registro exibido no leitor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="213"/>
        <source>Registering the reader with Stripe…</source>
        <translation>Registrando o leitor no Stripe…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="223"/>
        <source>Reader {reader} paired. Reconnecting…</source>
        <translation>Leitor {reader} pareado. Reconectando…</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="51"/>
        <source>Qty</source>
        <translation>Qtd</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="51"/>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="51"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="64"/>
        <source>price changed</source>
        <translation>preço alterado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="68"/>
        <source>discount {amount}</source>
        <translation>desconto {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="74"/>
        <source>Note: {note}</source>
        <translation>Obs.: {note}</translation>
    </message>
</context>
<context>
    <name>CashCountWidget</name>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="37"/>
        <source>Note / coin</source>
        <translation>Cédula / moeda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="38"/>
        <source>How many</source>
        <translation>Quantidade</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="39"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
</context>
<context>
    <name>CashMovementDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="40"/>
        <source>Paid in</source>
        <translation>Suprimento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="40"/>
        <source>Paid out</source>
        <translation>Sangria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="45"/>
        <source>Cash put into the drawer (not a sale)</source>
        <translation>Dinheiro colocado na gaveta (não é venda)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="47"/>
        <source>Cash taken out of the drawer (not a refund)</source>
        <translation>Dinheiro retirado da gaveta (não é reembolso)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="53"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="58"/>
        <source>Reason (required)</source>
        <translation>Motivo (obrigatório)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="61"/>
        <source>Change from the bank</source>
        <translation>Troco do banco</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="61"/>
        <source>Float top-up</source>
        <translation>Reforço do troco</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="64"/>
        <source>Supplier paid in cash</source>
        <translation>Pagamento a fornecedor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="65"/>
        <source>Cash drop to the safe</source>
        <translation>Recolhimento ao cofre</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="66"/>
        <source>Petty cash</source>
        <translation>Caixa pequeno</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="67"/>
        <source>Tips paid out</source>
        <translation>Gorjetas pagas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="82"/>
        <source>Cancel (Esc)</source>
        <translation>Cancelar (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="84"/>
        <source>Record</source>
        <translation>Registrar</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="74"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="144"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="75"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="145"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="76"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="148"/>
        <source>Category</source>
        <translation>Categoria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="77"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="146"/>
        <source>Price</source>
        <translation>Preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="78"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="147"/>
        <source>Tax %</source>
        <translation>Imp. %</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="136"/>
        <source>On sale</source>
        <translation>À venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="79"/>
        <source>Stock</source>
        <translation>Estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="95"/>
        <source>New product (Ctrl+N)</source>
        <translation>Novo produto (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="98"/>
        <source>Import CSV…</source>
        <translation>Importar CSV…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="116"/>
        <source>Choose a product, or add one</source>
        <translation>Escolha um produto ou adicione um</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="138"/>
        <source>Count stock</source>
        <translation>Contar estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="149"/>
        <source>Barcode</source>
        <translation>Cód. barras</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="154"/>
        <source>In stock</source>
        <translation>Em estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="167"/>
        <source>Save (Ctrl+S)</source>
        <translation>Salvar (Ctrl+S)</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="vanished">Sim</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="204"/>
        <source>86&apos;d</source>
        <translation>Em falta (86)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="239"/>
        <source>(none)</source>
        <translation>(nenhuma)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="276"/>
        <source>New product</source>
        <translation>Novo produto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="288"/>
        <source>Edit {name}</source>
        <translation>Editar {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="315"/>
        <source>Price: {problem}</source>
        <translation>Preço: {problem}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="321"/>
        <source>Tax: {problem}</source>
        <translation>Imposto: {problem}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="365"/>
        <source>{name} saved.</source>
        <translation>{name}: salvo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="379"/>
        <source>Import products from a CSV file</source>
        <translation>Importar produtos de um arquivo CSV</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="383"/>
        <source>CSV files (*.csv)</source>
        <translation>Arquivos CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="403"/>
        <source>{created} new, {updated} updated</source>
        <translation>{created} novos, {updated} atualizados</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="407"/>
        <source>, {count} new categories</source>
        <translation>, {count} categorias novas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="409"/>
        <source>Imported {file}: {result}.</source>
        <translation>{file} importado: {result}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="412"/>
        <source>Catalog imported: {result}.</source>
        <translation>Catálogo importado: {result}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="418"/>
        <source>Row {row}, column {column}: {problem}</source>
        <translation>Linha {row}, coluna {column}: {problem}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="428"/>
        <source>{file} was not imported (nothing changed):</source>
        <translation>{file} não foi importado (nada foi alterado):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="438"/>
        <source>{file} was not imported: {count} problems, listed below.</source>
        <translation>{file} não foi importado: {count} problemas, listados abaixo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="444"/>
        <source>Could not read {file}: {reason}</source>
        <translation>Não foi possível ler {file}: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="436"/>
        <source>{file} was not imported: 1 problem, listed below.</source>
        <translation>{file} não foi importado: 1 problema, listado abaixo.</translation>
    </message>
</context>
<context>
    <name>CategoriesTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="71"/>
        <source>Each category is a tab on the sell screen, in this order. A product is filed in one on the Products tab (or by the category column of a CSV).</source>
        <translation>Cada categoria é uma aba da tela de vendas, nesta ordem. O produto entra em uma na aba Produtos (ou pela coluna de categoria de um CSV).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="84"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="88"/>
        <source>Category name</source>
        <translation>Nome da categoria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="95"/>
        <source>Add as a new category</source>
        <translation>Adicionar como nova categoria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="98"/>
        <source>Rename the chosen one</source>
        <translation>Renomear a escolhida</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="101"/>
        <source>Move up</source>
        <translation>Subir</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="104"/>
        <source>Move down</source>
        <translation>Descer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="107"/>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="135"/>
        <source>{name} ({count} products)</source>
        <translation>{name} ({count} produtos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="137"/>
        <source>{name} (1 product)</source>
        <translation>{name} (1 produto)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="201"/>
        <source>Type the new category&apos;s name first.</source>
        <translation>Digite primeiro o nome da nova categoria.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="207"/>
        <source>Category {name} added.</source>
        <translation>Categoria {name} adicionada.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="217"/>
        <source>Type the new name first.</source>
        <translation>Digite primeiro o novo nome.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="222"/>
        <source>{old} is now {new}.</source>
        <translation>{old} agora é {new}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="233"/>
        <source>{name} moved.</source>
        <translation>{name} movida.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="244"/>
        <source>Category {name} removed.</source>
        <translation>Categoria {name} removida.</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="104"/>
        <source>Percent (%)</source>
        <translation>Percentual (%)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="105"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="111"/>
        <source>e.g. 10</source>
        <translation>ex.: 10</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="123"/>
        <source>Reason (staff meal, loyalty, damaged…)</source>
        <translation>Motivo (refeição, fidelidade, dano…)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="132"/>
        <source>Remove discount</source>
        <translation>Remover desconto</translation>
    </message>
</context>
<context>
    <name>DisputesScreen</name>
    <message>
        <source>Chargebacks</source>
        <translation type="vanished">Contestações (chargebacks)</translation>
    </message>
    <message>
        <source>A customer&apos;s bank is disputing these card payments. Send the evidence before the due date, or the shop loses the money and a dispute fee.</source>
        <translation type="vanished">O banco do cliente está contestando estes pagamentos com cartão. Envie as evidências antes do prazo, ou a loja perde o valor e ainda paga uma taxa de contestação.</translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="vanished">Pedido</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="vanished">Valor</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="vanished">Motivo</translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="vanished">Situação</translation>
    </message>
    <message>
        <source>Evidence due</source>
        <translation type="vanished">Prazo</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation type="vanished">Taxa</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="vanished">Resultado</translation>
    </message>
    <message>
        <source>Back to selling (F2)</source>
        <translation type="vanished">Voltar às vendas (F2)</translation>
    </message>
    <message>
        <source>Send the evidence (receipt and order)</source>
        <translation type="vanished">Enviar evidências (recibo e pedido)</translation>
    </message>
    <message>
        <source>evidence sent</source>
        <translation type="vanished">evidências enviadas</translation>
    </message>
    <message>
        <source>needs evidence</source>
        <translation type="vanished">precisa de evidências</translation>
    </message>
    <message>
        <source>inquiry: needs an answer</source>
        <translation type="vanished">consulta: precisa de resposta</translation>
    </message>
    <message>
        <source>under review</source>
        <translation type="vanished">em análise</translation>
    </message>
    <message>
        <source>inquiry under review</source>
        <translation type="vanished">consulta em análise</translation>
    </message>
    <message>
        <source>won</source>
        <translation type="vanished">ganha</translation>
    </message>
    <message>
        <source>lost</source>
        <translation type="vanished">perdida</translation>
    </message>
    <message>
        <source>inquiry closed</source>
        <translation type="vanished">consulta encerrada</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="vanished">desconhecido</translation>
    </message>
    <message>
        <source>{count} need evidence</source>
        <translation type="vanished">Precisam de evidências: {count}</translation>
    </message>
    <message>
        <source>Nothing to answer.</source>
        <translation type="vanished">Nada a responder.</translation>
    </message>
    <message>
        <source>Stripe is not connected: evidence cannot be sent now.</source>
        <translation type="vanished">O Stripe não está conectado: não é possível enviar as evidências agora.</translation>
    </message>
    <message>
        <source>Sending the evidence to Stripe…</source>
        <translation type="vanished">Enviando as evidências ao Stripe…</translation>
    </message>
    <message>
        <source>Evidence sent: the dispute is {status}.</source>
        <translation type="vanished">Evidências enviadas. Situação da contestação: {status}.</translation>
    </message>
</context>
<context>
    <name>DisputesTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="36"/>
        <source>A customer&apos;s bank is disputing these card payments. Send the evidence before the due date, or the shop loses the money and a dispute fee.</source>
        <translation>O banco do cliente está contestando estes pagamentos com cartão. Envie as evidências antes do prazo, ou a loja perde o valor e ainda paga uma taxa de contestação.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="47"/>
        <source>Order</source>
        <translation>Pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="48"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="49"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="50"/>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="51"/>
        <source>Evidence due</source>
        <translation>Prazo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="52"/>
        <source>Fee</source>
        <translation>Taxa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="53"/>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="64"/>
        <source>No chargebacks</source>
        <translation>Nenhuma contestação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="66"/>
        <source>No customer&apos;s bank is disputing a card payment. When one does, Stripe tells the shop&apos;s sync server, and the dispute appears here with the date its evidence is due.</source>
        <translation>Nenhum banco de cliente está contestando um pagamento com cartão. Quando isso acontecer, a Stripe avisa o servidor de sincronização da loja, e a contestação aparece aqui com o prazo para enviar as provas.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="70"/>
        <source>Check again</source>
        <translation>Verificar de novo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="78"/>
        <source>Send the evidence (receipt and order)</source>
        <translation>Enviar evidências (recibo e pedido)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="90"/>
        <source>evidence sent</source>
        <translation>evidências enviadas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="92"/>
        <source>needs evidence</source>
        <translation>precisa de evidências</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="93"/>
        <source>inquiry: needs an answer</source>
        <translation>consulta: precisa de resposta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="94"/>
        <source>under review</source>
        <translation>em análise</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="95"/>
        <source>inquiry under review</source>
        <translation>consulta em análise</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="96"/>
        <source>won</source>
        <translation>ganha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="97"/>
        <source>lost</source>
        <translation>perdida</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="98"/>
        <source>inquiry closed</source>
        <translation>consulta encerrada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="116"/>
        <source>unknown</source>
        <translation>desconhecido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="137"/>
        <source>{count} need evidence</source>
        <translation>Precisam de evidências: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="139"/>
        <source>Nothing to answer.</source>
        <translation>Nada a responder.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="170"/>
        <source>Stripe is not connected: evidence cannot be sent now.</source>
        <translation>O Stripe não está conectado: não é possível enviar as evidências agora.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="175"/>
        <source>Sending the evidence to Stripe…</source>
        <translation>Enviando as evidências ao Stripe…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/disputes_tab.py" line="191"/>
        <source>Evidence sent: the dispute is {status}.</source>
        <translation>Evidências enviadas. Situação da contestação: {status}.</translation>
    </message>
</context>
<context>
    <name>FeeInvoicesSection</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="45"/>
        <source>Fee invoices</source>
        <translation>Faturas da taxa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="48"/>
        <source>Counter POS invoices each closed month&apos;s fee and charges the shop&apos;s saved card; a shop without a saved card gets the invoice by email, with a due date, and the owner pays it on Stripe&apos;s page. If an invoice is still unpaid 14 days after its first failed payment or after its due date (or once Stripe stops trying), the counter shows a reminder until it is paid. Sales are never blocked.</source>
        <translation>A Counter POS fatura a taxa de cada mês fechado e cobra no cartão salvo da loja; uma loja sem cartão salvo recebe a fatura por e-mail, com data de vencimento, e o dono a paga na página da Stripe. Se uma fatura continuar sem pagamento 14 dias depois do primeiro pagamento que falhou ou depois do vencimento (ou assim que a Stripe parar de tentar), o caixa mostra um aviso até que seja paga. As vendas nunca são bloqueadas.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="57"/>
        <source>The owner can save or change the card on the web console&apos;s Payment method page.</source>
        <translation>O dono pode salvar ou trocar o cartão na página Forma de pagamento do console web.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="81"/>
        <source>Month</source>
        <translation>Mês</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="81"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="81"/>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="81"/>
        <source>Paid on</source>
        <translation>Paga em</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="107"/>
        <source>Check now (Ctrl+R)</source>
        <translation>Verificar agora (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="132"/>
        <source>Asking the sync server…</source>
        <translation>Consultando o servidor de sincronização…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="142"/>
        <source>The sync server could not be asked: {reason}</source>
        <translation>Não foi possível consultar o servidor de sincronização: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="149"/>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="150"/>
        <source>Being prepared</source>
        <translation>Em preparação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="151"/>
        <source>Awaiting payment</source>
        <translation>Aguardando pagamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="152"/>
        <source>Paid</source>
        <translation>Paga</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="153"/>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="154"/>
        <source>Unpaid</source>
        <translation>Não paga</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="155"/>
        <source>No fee</source>
        <translation>Sem taxa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="156"/>
        <source>Carried to a later month</source>
        <translation>Transferida para um mês seguinte</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="159"/>
        <source>Past due</source>
        <translation>Vencida</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="167"/>
        <source>{amount}, below Stripe&apos;s minimum charge</source>
        <translation>{amount}, abaixo da cobrança mínima da Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="172"/>
        <source>the card payment failed (1 attempt)</source>
        <translation>o pagamento no cartão falhou (1 tentativa)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="174"/>
        <source>the card payment failed ({count} attempts)</source>
        <translation>o pagamento no cartão falhou ({count} tentativas)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="181"/>
        <source>due on {date}</source>
        <translation>vence em {date}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="183"/>
        <source>was due on {date}</source>
        <translation>venceu em {date}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="186"/>
        <source>{amount} credited</source>
        <translation>{amount} creditado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="188"/>
        <source>includes {amount} carried from earlier months</source>
        <translation>inclui {amount} transferido de meses anteriores</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="191"/>
        <source>{state}: {notes}</source>
        <translation>{state}: {notes}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="226"/>
        <source>Not read from the sync server yet.</source>
        <translation>Ainda não lido do servidor de sincronização.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="228"/>
        <source>No month invoiced yet (checked {when}).</source>
        <translation>Nenhum mês faturado ainda (verificado em {when}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/fee_invoices.py" line="231"/>
        <source>As the sync server said on {when}.</source>
        <translation>Conforme o servidor de sincronização em {when}.</translation>
    </message>
</context>
<context>
    <name>FeeReminder</name>
    <message>
        <location filename="../../pos_app/ui/widgets/fee_reminder.py" line="19"/>
        <source>Fee for {month} is past due — Back office → Shop set-up → Fees &amp; web console</source>
        <translation>Taxa de {month} vencida — Retaguarda → Configurar loja → Taxas e console web</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/fee_reminder.py" line="29"/>
        <source>The Counter POS fee for {month} ({amount}) is past due. Sales go on as usual.</source>
        <translation>A taxa da Counter POS de {month} ({amount}) está vencida. As vendas continuam normalmente.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/fee_reminder.py" line="42"/>
        <source>Pay on Stripe&apos;s page</source>
        <translation>Pagar na página da Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/fee_reminder.py" line="47"/>
        <source>The owner can save or change the card on the web console&apos;s Payment method page.</source>
        <translation>O dono pode salvar ou trocar o cartão na página Forma de pagamento do console web.</translation>
    </message>
    <message>
        <source>The owner pays it from the web console or Back office → Shop set-up → Fees &amp; web console.</source>
        <translation type="vanished">O dono paga no console web ou em Retaguarda → Configurar loja → Taxas e console web.</translation>
    </message>
    <message>
        <source>The owner can pay it on Stripe&apos;s page: {url}</source>
        <translation type="vanished">O dono pode pagar na página da Stripe: {url}</translation>
    </message>
</context>
<context>
    <name>FinishScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="41"/>
        <source>Print receipt (P)</source>
        <translation>Imprimir recibo (P)</translation>
    </message>
    <message>
        <source>customer@example.com</source>
        <translation type="vanished">cliente@exemplo.com.br</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="45"/>
        <source>Email address</source>
        <translation>Endereço de e-mail</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="46"/>
        <source>Email receipt (E)</source>
        <translation>Recibo por e-mail (E)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="47"/>
        <source>No receipt (N)</source>
        <translation>Sem recibo (N)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="56"/>
        <source>Mobile, e.g. +15551234567</source>
        <translation>Celular, ex. +5511912345678</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="57"/>
        <source>Text when it&apos;s ready (T)</source>
        <translation>Avisar por SMS quando ficar pronto (T)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="65"/>
        <source>Next customer (Enter)</source>
        <translation>Próximo cliente (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="104"/>
        <source>Order #{number} paid — {total}</source>
        <translation>Pedido nº {number} pago — {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="110"/>
        <source>Change due: {amount}</source>
        <translation>Troco: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="115"/>
        <source>No change due</source>
        <translation>Sem troco</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="129"/>
        <source>Cash {tendered} (change {change})</source>
        <translation>Dinheiro {tendered} (troco {change})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="135"/>
        <source>Cash {amount}</source>
        <translation>Dinheiro {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="140"/>
        <source>Card</source>
        <translation>Cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="144"/>
        <source>{card} {charged} (tip {tip})</source>
        <translation>{card} {charged} (gorjeta {tip})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="150"/>
        <source>{card} {charged}</source>
        <translation>{card} {charged}</translation>
    </message>
    <message>
        <source>Paid by {card}</source>
        <translation type="vanished">Pago com {card}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="166"/>
        <source>Enter the customer&apos;s email address.</source>
        <translation>Digite o e-mail do cliente.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="194"/>
        <source>We will text {phone} when the order is ready.</source>
        <translation>Vamos avisar {phone} por SMS quando o pedido ficar pronto.</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="78"/>
        <source>Counter POS — set-up</source>
        <translation>Counter POS — configuração</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="119"/>
        <source>That did not work: {error}</source>
        <translation>Não deu certo: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="152"/>
        <source>Welcome to Counter POS</source>
        <translation>Bem-vindo ao Counter POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="152"/>
        <source>How will this register be used?</source>
        <translation>Como este caixa será usado?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="157"/>
        <source>Set up a new shop</source>
        <translation>Configurar uma nova loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="162"/>
        <source>Join a shop: pair with its sync server</source>
        <translation>Entrar em uma loja: parear com o servidor de sincronização</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="166"/>
        <source>Try the demo (a sample café, no real money)</source>
        <translation>Experimentar a demonstração (um café de exemplo, sem dinheiro real)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="183"/>
        <source>A new shop</source>
        <translation>Uma nova loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="183"/>
        <source>Name the shop and its first owner.</source>
        <translation>Informe o nome da loja e do primeiro proprietário.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="193"/>
        <source>Prices exclude tax (US)</source>
        <translation>Preços sem impostos (EUA)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="194"/>
        <source>Prices include tax (VAT, Brazil)</source>
        <translation>Preços com impostos inclusos (IVA, Brasil)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="211"/>
        <source>Shop name</source>
        <translation>Nome da loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="212"/>
        <source>Currency</source>
        <translation>Moeda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="213"/>
        <source>Tax</source>
        <translation>Imposto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="214"/>
        <source>Time zone</source>
        <translation>Fuso horário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="215"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="216"/>
        <source>Owner&apos;s name</source>
        <translation>Nome do proprietário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="217"/>
        <source>Owner&apos;s PIN (4–8 digits)</source>
        <translation>PIN do proprietário (4–8 dígitos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="218"/>
        <source>PIN again</source>
        <translation>Repita o PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="223"/>
        <source>Create the shop</source>
        <translation>Criar a loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="228"/>
        <source>Back</source>
        <translation>Voltar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="244"/>
        <source>The two PINs are different.</source>
        <translation>Os dois PINs são diferentes.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="268"/>
        <source>Join a shop</source>
        <translation>Entrar em uma loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="270"/>
        <source>On the server, run “sync-server devices pair-code --tenant SHOP” and type the code here. It works once, for 15 minutes.</source>
        <translation>No servidor, execute “sync-server devices pair-code --tenant SHOP” e digite o código aqui. Ele vale uma única vez, por 15 minutos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="280"/>
        <source>Register 2</source>
        <translation>Caixa 2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="282"/>
        <source>Server address</source>
        <translation>Endereço do servidor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="283"/>
        <source>Pairing code</source>
        <translation>Código de pareamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="284"/>
        <source>This register&apos;s name</source>
        <translation>Nome deste caixa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="289"/>
        <source>Pair</source>
        <translation>Parear</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="297"/>
        <source>Enter the server address and the pairing code.</source>
        <translation>Digite o endereço do servidor e o código de pareamento.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="299"/>
        <source>Pairing…</source>
        <translation>Pareando…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="307"/>
        <source>Paired with {shop}. The first sync failed ({error}); it will retry by itself.</source>
        <translation>Pareado com {shop}. A primeira sincronização falhou ({error}); ela será repetida automaticamente.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="309"/>
        <source>Paired with {shop}: {count} items received.</source>
        <translation>Pareado com {shop}: {count} itens recebidos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="324"/>
        <source>Card payments</source>
        <translation>Pagamentos com cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="326"/>
        <source>Paste the shop&apos;s Stripe restricted key (rk_live_… or rk_test_…). It is kept in this computer&apos;s keyring, never in a file. You can do this later in the back office.</source>
        <translation>Cole a chave restrita do Stripe da loja (rk_live_… ou rk_test_…). Ela fica no chaveiro do sistema deste computador, nunca em um arquivo. Você pode fazer isso depois na retaguarda.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="336"/>
        <source>Stripe key</source>
        <translation>Chave Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="342"/>
        <source>Skip: cash only for now</source>
        <translation>Pular: só dinheiro por enquanto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="345"/>
        <source>Save the key and finish</source>
        <translation>Salvar a chave e concluir</translation>
    </message>
    <message>
        <source>That is not a Stripe key (it starts with rk_ or sk_).</source>
        <translation type="vanished">Isso não é uma chave Stripe (ela começa com rk_ ou sk_).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="363"/>
        <source>Saved {key}</source>
        <translation>Chave salva: {key}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="39"/>
        <source>Open</source>
        <translation>Aberto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="40"/>
        <source>Parked</source>
        <translation>Suspenso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="41"/>
        <source>Paid</source>
        <translation>Pago</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="42"/>
        <source>Partly refunded</source>
        <translation>Reemb. parcial</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="43"/>
        <source>Refunded</source>
        <translation>Reembolsado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="44"/>
        <source>Voided</source>
        <translation>Anulado</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="198"/>
        <source>#</source>
        <translation>Nº</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="199"/>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="200"/>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="201"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="202"/>
        <source>Refunded</source>
        <translation>Reemb.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="203"/>
        <source>Card</source>
        <translation>Cartão</translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="84"/>
        <source>Order history</source>
        <translation>Histórico de pedidos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="94"/>
        <source>Order #</source>
        <translation>Pedido nº</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="98"/>
        <source>Total, e.g. {example}</source>
        <translation>Total, ex.: {example}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="103"/>
        <source>Card last 4</source>
        <translation>Final do cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="106"/>
        <source>Any status</source>
        <translation>Qualquer situação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="109"/>
        <source>Search (Enter)</source>
        <translation>Buscar (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="111"/>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="116"/>
        <source>Only from</source>
        <translation>Somente de</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="131"/>
        <source>to</source>
        <translation>até</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="133"/>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="176"/>
        <source>Back to selling (F2)</source>
        <translation>Voltar às vendas (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="226"/>
        <source>Qty</source>
        <translation>Qtd</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="226"/>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="226"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="248"/>
        <source>Order ready: tell the customer</source>
        <translation>Pedido pronto: avisar o cliente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="252"/>
        <source>Void (F7)</source>
        <translation>Anular (F7)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="254"/>
        <source>Refund (Ctrl+R)</source>
        <translation>Reembolsar (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="256"/>
        <source>Reprint (Ctrl+P)</source>
        <translation>Reimprimir (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="258"/>
        <source>Recall (F9)</source>
        <translation>Retomar (F9)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="337"/>
        <source>An order number is digits only.</source>
        <translation>O número do pedido tem apenas dígitos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="349"/>
        <source>Enter the card&apos;s last 4 digits.</source>
        <translation>Digite os 4 últimos dígitos do cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="380"/>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="395"/>
        <source>{count} orders</source>
        <translation>{count} pedidos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="397"/>
        <source>1 order</source>
        <translation>1 pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="401"/>
        <source>No order matches this search.
Clear shows every order.</source>
        <translation>Nenhum pedido corresponde à busca.
Limpar mostra todos os pedidos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="404"/>
        <source>No orders yet.
Every order rung up on this register is listed here: back to selling (F2) for the first.</source>
        <translation>Nenhum pedido ainda.
Todo pedido registrado neste caixa aparece aqui: volte às vendas (F2) para o primeiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="453"/>
        <source>Loading…</source>
        <translation>Carregando…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="461"/>
        <source>Choose an order on the left.</source>
        <translation>Escolha um pedido à esquerda.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="470"/>
        <source>Order #{number} — {status}</source>
        <translation>Pedido nº {number} — {status}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="480"/>
        <source>by {name}</source>
        <translation>por {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="489"/>
        <source>Note: {note}</source>
        <translation>Obs.: {note}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="495"/>
        <source>{count} refunded</source>
        <translation>reembolsados: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="520"/>
        <source>Subtotal</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="522"/>
        <source>Discounts</source>
        <translation>Descontos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="523"/>
        <source>Tax</source>
        <translation>Imposto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="524"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="529"/>
        <source>Card {card}</source>
        <translation>Cartão {card}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="532"/>
        <location filename="../../pos_app/ui/screens/history.py" line="597"/>
        <source>+ tip {tip}</source>
        <translation>+ gorjeta {tip}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="534"/>
        <source>Cash</source>
        <translation>Dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="537"/>
        <source>(given {given}, change {change})</source>
        <translation>(recebido {given}, troco {change})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="544"/>
        <source>Refunded</source>
        <translation>Reembolsado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="553"/>
        <source>Tip refunded</source>
        <translation>Gorjeta reembolsada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="563"/>
        <source>Voided: {reason}</source>
        <translation>Anulado: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="569"/>
        <source>{name}, approved by {approver}</source>
        <translation>{name}, aprovado por {approver}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="574"/>
        <source>cash {amount}</source>
        <translation>dinheiro {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="577"/>
        <source>card {amount} incl. tip {tip}</source>
        <translation>cartão {amount} com gorjeta de {tip}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="583"/>
        <source>card {amount}</source>
        <translation>cartão {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="585"/>
        <source>card refund pending</source>
        <translation>reembolso no cartão pendente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="586"/>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="589"/>
        <source>card refund of {refused} refused</source>
        <translation>reembolso de {refused} no cartão recusado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="598"/>
        <source>Refund {amount} on {when} — “{reason}” — {who} — {how}</source>
        <translation>Reembolso de {amount} em {when} — “{reason}” — {who} — {how}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="639"/>
        <source>The customer will be told it is ready.</source>
        <translation>O cliente será avisado de que está pronto.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="642"/>
        <source>This customer did not ask for updates.</source>
        <translation>Este cliente não pediu avisos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="674"/>
        <source>Park or finish the current order first.</source>
        <translation>Suspenda ou conclua o pedido atual primeiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="684"/>
        <source>Void order #{number}</source>
        <translation>Anular pedido nº {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="685"/>
        <source>Why is this order voided?</source>
        <translation>Por que anular este pedido?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="688"/>
        <source>Customer changed their mind</source>
        <translation>Cliente desistiu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="689"/>
        <source>Rang up by mistake</source>
        <translation>Lançado por engano</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="690"/>
        <source>Customer left</source>
        <translation>Cliente foi embora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="691"/>
        <source>Test order</source>
        <translation>Pedido de teste</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="710"/>
        <source>This order has a card approval to release: the card reader must be connected to void it.</source>
        <translation>Este pedido tem uma autorização de cartão a liberar: o leitor de cartão precisa estar conectado para anulá-lo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="717"/>
        <source>Order #{number} voided.</source>
        <translation>Pedido nº {number} anulado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="788"/>
        <source>Refund of {amount} recorded: give {cash} back from the drawer.</source>
        <translation>Reembolso de {amount} registrado: devolva {cash} da gaveta.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="792"/>
        <source>Refund of {amount} recorded.</source>
        <translation>Reembolso de {amount} registrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="819"/>
        <source>The card refund is saved but the card reader is not connected: it is sent when the reader is back. Do not refund it again.</source>
        <translation>O reembolso no cartão foi salvo, mas o leitor de cartão não está conectado: ele será enviado quando o leitor voltar. Não reembolse de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="832"/>
        <location filename="../../pos_app/ui/screens/history.py" line="834"/>
        <source>The card refund went through.</source>
        <translation>O reembolso no cartão foi concluído.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Tap your name</source>
        <translation type="vanished">Toque no seu nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="72"/>
        <source>{name}: enter your PIN</source>
        <translation>{name}: digite seu PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="76"/>
        <source>Tap your name (or type its first letter)</source>
        <translation>Toque no seu nome (ou digite a primeira letra dele)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="83"/>
        <source>Tap your name (or type its first letter) first</source>
        <translation>Primeiro toque no seu nome (ou digite a primeira letra dele)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="130"/>
        <source>Wrong PIN.</source>
        <translation>PIN incorreto.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="176"/>
        <source>{shop} — Counter POS</source>
        <translation>{shop} — Counter POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="195"/>
        <source>Lock (Ctrl+L)</source>
        <translation>Bloquear (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="282"/>
        <source>Only a manager can open this screen.</source>
        <translation>Somente um gerente pode abrir esta tela.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="285"/>
        <source>Finish or cancel the card payment first.</source>
        <translation>Conclua ou cancele o pagamento com cartão primeiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="239"/>
        <location filename="../../pos_app/ui/main_window.py" line="335"/>
        <source>No receipt printer is set up.</source>
        <translation>Nenhuma impressora de recibos configurada.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="245"/>
        <source>Receipt sent to the printer.</source>
        <translation>Recibo enviado à impressora.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="261"/>
        <source>The receipt will be emailed to {address}.</source>
        <translation>O recibo será enviado por e-mail para {address}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="342"/>
        <source>Email receipts are not set up on this register.</source>
        <translation>Recibos por e-mail não estão configurados neste caixa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="419"/>
        <source>Signed in: {name}</source>
        <translation>Operador: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="419"/>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="423"/>
        <source>Shift open since {time}</source>
        <translation>Turno aberto desde {time}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="427"/>
        <source>No shift open</source>
        <translation>Nenhum turno aberto</translation>
    </message>
    <message>
        <source>Card reader: {reader}</source>
        <translation type="vanished">Leitor de cartão: {reader}</translation>
    </message>
    <message>
        <source>Cards off: {reason}</source>
        <translation type="vanished">Cartões desativados: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="441"/>
        <source>A card payment is in progress: finish or cancel it first.</source>
        <translation>Há um pagamento com cartão em andamento: conclua ou cancele-o primeiro.</translation>
    </message>
</context>
<context>
    <name>ModifierDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="226"/>
        <source>{name} (required)</source>
        <translation>{name} (obrigatório)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="228"/>
        <source>{name} (choose {low} to {high})</source>
        <translation>{name} (escolha de {low} a {high})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="229"/>
        <source>{name} (optional, up to {high})</source>
        <translation>{name} (opcional, até {high})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="243"/>
        <source>choose {name}</source>
        <translation>escolha {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="245"/>
        <source>too many {name}</source>
        <translation>excesso de {name}</translation>
    </message>
</context>
<context>
    <name>ModifierGroupsTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="270"/>
        <source>No modifier groups yet</source>
        <translation>Nenhum grupo de opções ainda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="271"/>
        <source>A group offers choices with a product: a size, a milk, extras.</source>
        <translation>Um grupo oferece escolhas com um produto: um tamanho, um leite, adicionais.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="275"/>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="282"/>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="411"/>
        <source>New group</source>
        <translation>Novo grupo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="288"/>
        <source>Milk</source>
        <translation>Leite</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="289"/>
        <source>A choice is required</source>
        <translation>Escolha obrigatória</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="299"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="301"/>
        <source>Fewest choices</source>
        <translation>Mínimo de escolhas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="302"/>
        <source>Most choices</source>
        <translation>Máximo de escolhas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="307"/>
        <source>Choice</source>
        <translation>Opção</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="307"/>
        <source>Price change</source>
        <translation>Variação de preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="316"/>
        <source>Add choice</source>
        <translation>Adicionar opção</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="319"/>
        <source>Remove choice</source>
        <translation>Remover opção</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="328"/>
        <source>Offered with</source>
        <translation>Oferecido com</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="335"/>
        <source>Save group</source>
        <translation>Salvar grupo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="363"/>
        <source>{name} · 1 choice</source>
        <translation>{name} · 1 opção</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="365"/>
        <source>{name} · {count} choices</source>
        <translation>{name} · {count} opções</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="419"/>
        <source>Edit {name}</source>
        <translation>Editar {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="480"/>
        <source>{choice}: {problem}</source>
        <translation>{choice}: {problem}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="481"/>
        <source>Row {row}</source>
        <translation>Linha {row}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/menu_tab.py" line="505"/>
        <source>Modifier group {name} saved.</source>
        <translation>Grupo de opções {name} salvo.</translation>
    </message>
</context>
<context>
    <name>Override</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="21"/>
        <source>void this order</source>
        <translation>anular este pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="22"/>
        <source>refund</source>
        <translation>reembolsar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="23"/>
        <source>give this discount</source>
        <translation>dar este desconto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="24"/>
        <source>open the drawer without a sale</source>
        <translation>abrir a gaveta sem venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="27"/>
        <source>change a price</source>
        <translation>alterar um preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="28"/>
        <source>close the shift</source>
        <translation>fechar o turno</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="29"/>
        <source>pay cash in or out</source>
        <translation>fazer suprimento ou sangria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="30"/>
        <source>change the catalog</source>
        <translation>alterar o catálogo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="31"/>
        <source>manage staff</source>
        <translation>gerenciar a equipe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="32"/>
        <source>change settings</source>
        <translation>alterar as configurações</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="33"/>
        <source>view reports</source>
        <translation>ver relatórios</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="34"/>
        <source>sell</source>
        <translation>vender</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="52"/>
        <source>Manager approval</source>
        <translation>Aprovação do gerente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="57"/>
        <source>A manager must approve: {action}</source>
        <translation>Um gerente precisa aprovar: {action}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="172"/>
        <source>No one on this register can approve this.</source>
        <translation>Ninguém neste caixa pode aprovar isto.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="131"/>
        <source>Approval refused: {reason}</source>
        <translation>Aprovação recusada: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="204"/>
        <source>wrong PIN</source>
        <translation>PIN incorreto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="35"/>
        <source>sell beyond the stock</source>
        <translation>vender além do estoque</translation>
    </message>
</context>
<context>
    <name>PairDialog</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="45"/>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="48"/>
        <source>Pair this register</source>
        <translation>Parear este caixa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="52"/>
        <source>On the sync server, run “sync-server devices pair-code --tenant SHOP”: it shows a code that works once, for 15 minutes.</source>
        <translation>No servidor de sincronização, execute “sync-server devices pair-code --tenant SHOP”: ele mostra um código que vale uma vez, por 15 minutos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="65"/>
        <source>Server address</source>
        <translation>Endereço do servidor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="66"/>
        <source>Pairing code</source>
        <translation>Código de pareamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="73"/>
        <source>Cancel (Esc)</source>
        <translation>Cancelar (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="75"/>
        <source>Pair</source>
        <translation>Parear</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="87"/>
        <source>Enter the server address and the pairing code.</source>
        <translation>Digite o endereço do servidor e o código de pareamento.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="90"/>
        <source>Pairing…</source>
        <translation>Pareando…</translation>
    </message>
</context>
<context>
    <name>PayScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="103"/>
        <source>Cash</source>
        <translation>Dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="110"/>
        <source>Amount handed over</source>
        <translation>Valor recebido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="112"/>
        <source>Take cash</source>
        <translation>Receber dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="120"/>
        <location filename="../../pos_app/ui/screens/pay.py" line="492"/>
        <source>Card</source>
        <translation>Cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="123"/>
        <source>Charge</source>
        <translation>Cobrar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="133"/>
        <source>No tip</source>
        <translation>Sem gorjeta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="153"/>
        <source>Cancel card</source>
        <translation>Cancelar cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="156"/>
        <source>Try another card</source>
        <translation>Tentar outro cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="175"/>
        <source>Nothing to pay: complete at no charge</source>
        <translation>Nada a pagar: concluir sem cobrança</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="182"/>
        <source>Back to the order (Esc)</source>
        <translation>Voltar ao pedido (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="226"/>
        <source>Pay order #{number}</source>
        <translation>Pagar pedido nº {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="226"/>
        <source>Pay</source>
        <translation>Pagar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="229"/>
        <source>Due: {amount}</source>
        <translation>A pagar: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="234"/>
        <source>Card {card}: {amount}</source>
        <translation>Cartão {card}: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="239"/>
        <source>(tip {tip})</source>
        <translation>(gorjeta {tip})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="243"/>
        <source>Cash: {amount}</source>
        <translation>Dinheiro: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="254"/>
        <source>Exact {amount}</source>
        <translation>Exato {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="291"/>
        <source>Enter an amount to charge</source>
        <translation>Digite um valor a cobrar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="295"/>
        <source>Charge card {amount} (F10)</source>
        <translation>Cobrar no cartão {amount} (F10)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="315"/>
        <source>Cash only — set up card payments in the back office (Card reader).</source>
        <translation>Só dinheiro — configure pagamentos com cartão na retaguarda (Leitor de cartão).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="321"/>
        <source>Cards unavailable: {reason}</source>
        <translation>Cartões indisponíveis: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="356"/>
        <source>Open a shift (count the float) before taking cash.</source>
        <translation>Abra um turno (conte o fundo de troco) antes de receber dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="359"/>
        <source>Finish or cancel the card on the reader first.</source>
        <translation>Conclua ou cancele o cartão no leitor primeiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="379"/>
        <source>Check the amount</source>
        <translation>Confira o valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="381"/>
        <source>{tendered} handed over for {due} due means {change} in change. Is that right?</source>
        <translation>{tendered} entregue para {due} a pagar dá {change} de troco. Está certo?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="387"/>
        <source>Yes, give {change} change</source>
        <translation>Sim, dar {change} de troco</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="406"/>
        <source>Charge between {low} and {high}.</source>
        <translation>Cobre entre {low} e {high}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="418"/>
        <source>Starting the payment on the reader…</source>
        <translation>Iniciando o pagamento no leitor…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="510"/>
        <source>Ask for another card…</source>
        <translation>Peça outro cartão…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="536"/>
        <source>Cancelling on the reader…</source>
        <translation>Cancelando no leitor…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="614"/>
        <source>Releasing the card approval…</source>
        <translation>Liberando a autorização do cartão…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="658"/>
        <source>Complete at no charge</source>
        <translation>Concluir sem cobrança</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="659"/>
        <source>Why is there nothing to pay?</source>
        <translation>Por que não há nada a pagar?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="661"/>
        <source>Staff meal</source>
        <translation>Refeição da equipe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="661"/>
        <source>Comp: complaint</source>
        <translation>Cortesia: reclamação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="661"/>
        <source>Comp: regular</source>
        <translation>Cortesia: cliente habitual</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="692"/>
        <source>Charging the card…</source>
        <translation>Cobrando no cartão…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="567"/>
        <source>{card} approved {amount}.
Going back releases it: the customer is not charged.</source>
        <translation>{card} aprovou {amount}.
Voltar libera a aprovação: o cliente não é cobrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="88"/>
        <source>Nothing paid yet. To split the bill, take part by card and part in cash: each payment is listed here.</source>
        <translation>Nada pago ainda. Para dividir a conta, receba parte no cartão e parte em dinheiro: cada pagamento aparece aqui.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="572"/>
        <location filename="../../pos_app/ui/screens/pay.py" line="607"/>
        <location filename="../../pos_app/ui/screens/pay.py" line="728"/>
        <source>Hand back the cash taken: {amount}.</source>
        <translation>Devolva o dinheiro recebido: {amount}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="574"/>
        <source>Or stay and take the rest ({due}) another way.</source>
        <translation>Ou fique e receba o restante ({due}) de outra forma.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="579"/>
        <source>Money taken for this order</source>
        <translation>Dinheiro já recebido neste pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="579"/>
        <source>Go back</source>
        <translation>Voltar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="623"/>
        <source>Released {amount} on {card}: the customer is not charged.</source>
        <translation>Liberados {amount} no {card}: o cliente não é cobrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="464"/>
        <source>Approved: {card}</source>
        <translation>Aprovado: {card}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="670"/>
        <source>complete this order at no charge ({reason})</source>
        <translation>concluir este pedido sem cobrança ({reason})</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="147"/>
        <source>New PIN for {name}</source>
        <translation>Novo PIN para {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="147"/>
        <source>Set PIN</source>
        <translation>Definir PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="150"/>
        <source>New PIN (4 to 8 digits)</source>
        <translation>Novo PIN (4 a 8 dígitos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="151"/>
        <source>The same PIN again</source>
        <translation>Repita o PIN</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="134"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="140"/>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="140"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PrintersTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="82"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="189"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="83"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="190"/>
        <source>Prints</source>
        <translation>Imprime</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="84"/>
        <source>Queue</source>
        <translation>Fila</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="85"/>
        <source>Last error</source>
        <translation>Último erro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="99"/>
        <source>No printers yet</source>
        <translation>Nenhuma impressora ainda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="101"/>
        <source>Receipts, kitchen tickets and the cash drawer need a network printer (ESC/POS, usually on port 9100). The cash drawer plugs into the receipt printer. Until one is added, receipts can be e-mailed, and the drawer opens with its key.</source>
        <translation>Recibos, pedidos da cozinha e a gaveta precisam de uma impressora de rede (ESC/POS, em geral na porta 9100). A gaveta é ligada à impressora de recibos. Até adicionar uma, os recibos podem ir por e-mail, e a gaveta abre com a chave.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="106"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="119"/>
        <source>Add a printer</source>
        <translation>Adicionar impressora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="122"/>
        <source>Print test page</source>
        <translation>Imprimir página de teste</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="125"/>
        <source>Open drawer</source>
        <translation>Abrir gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="128"/>
        <source>Send again</source>
        <translation>Enviar de novo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="130"/>
        <source>The printer is back: send what waits for it now.</source>
        <translation>A impressora voltou: enviar agora o que espera por ela.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="132"/>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="150"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="358"/>
        <source>New printer</source>
        <translation>Nova impressora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="157"/>
        <source>Front counter</source>
        <translation>Balcão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="160"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="241"/>
        <source>Receipts</source>
        <translation>Recibos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="161"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="241"/>
        <source>Kitchen tickets</source>
        <translation>Pedidos da cozinha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="177"/>
        <source>80 mm (42 characters)</source>
        <translation>80 mm (42 caracteres)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="178"/>
        <source>80 mm wide head (48 characters)</source>
        <translation>80 mm, cabeça larga (48 caracteres)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="179"/>
        <source>58 mm (32 characters)</source>
        <translation>58 mm (32 caracteres)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="180"/>
        <source>A cash drawer is plugged into it</source>
        <translation>Tem uma gaveta ligada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="182"/>
        <source>In use</source>
        <translation>Em uso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="188"/>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="351"/>
        <source>Kitchen tickets for</source>
        <translation>Pedidos da cozinha de</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="191"/>
        <source>Address</source>
        <translation>Endereço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="192"/>
        <source>Port</source>
        <translation>Porta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="193"/>
        <source>Paper</source>
        <translation>Papel</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="207"/>
        <source>Save printer</source>
        <translation>Salvar impressora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="245"/>
        <source>Not in use</source>
        <translation>Fora de uso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="248"/>
        <source>{count} waiting</source>
        <translation>{count} na fila</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="250"/>
        <source>{count} failed</source>
        <translation>{count} com falha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="254"/>
        <source>Printed {when}</source>
        <translation>Imprimiu {when}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="259"/>
        <source>Ready</source>
        <translation>Pronta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="271"/>
        <source>{prints} + drawer</source>
        <translation>{prints} + gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="302"/>
        <source>Last error for {name}: {error}</source>
        <translation>Último erro de {name}: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="351"/>
        <source>Also print kitchen tickets for</source>
        <translation>Também imprimir pedidos da cozinha de</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="370"/>
        <source>Edit {name}</source>
        <translation>Editar {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="378"/>
        <source>{count} characters</source>
        <translation>{count} caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="397"/>
        <source>Give the printer a name, like “Front counter”.</source>
        <translation>Dê um nome à impressora, como “Balcão”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="400"/>
        <source>Enter the printer&apos;s address (its IP address, like 192.168.1.50).</source>
        <translation>Digite o endereço da impressora (o IP, como 192.168.1.50).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="430"/>
        <source>Printer {name} saved.</source>
        <translation>Impressora {name} salva.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="462"/>
        <source>The print queue is not running on this register: nothing prints.</source>
        <translation>A fila de impressão não está rodando neste caixa: nada é impresso.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="485"/>
        <source>Test page queued for {name}: it prints when the printer answers (if it cannot, the error shows above).</source>
        <translation>Página de teste na fila de {name}: ela sai quando a impressora responder (se não puder, o erro aparece acima).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="502"/>
        <source>Drawer kick queued for {name}: the drawer opens when the printer answers.</source>
        <translation>Abertura da gaveta na fila de {name}: a gaveta abre quando a impressora responder.</translation>
    </message>
    <message>
        <source>Test page sent to {name}: check the paper.</source>
        <translation type="vanished">Página de teste enviada para {name}: confira o papel.</translation>
    </message>
    <message>
        <source>The drawer should open now.</source>
        <translation type="vanished">A gaveta deve abrir agora.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="519"/>
        <source>Sending what waits for {name}.</source>
        <translation>Enviando o que espera por {name}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/printers_tab.py" line="529"/>
        <source>Printer {name} removed.</source>
        <translation>Impressora {name} removida.</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="74"/>
        <source>Refund order #{number}</source>
        <translation>Reembolsar pedido nº {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="80"/>
        <source>Paid {total}, refunded {refunded}: up to {remaining} can be refunded.</source>
        <translation>Pago {total}, reembolsado {refunded}: é possível reembolsar até {remaining}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="92"/>
        <source>The card tip of {tip} can be given back too.</source>
        <translation>A gorjeta de {tip} no cartão também pode ser devolvida.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="106"/>
        <source>By item</source>
        <translation>Por item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="107"/>
        <source>By amount</source>
        <translation>Por valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="125"/>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="125"/>
        <source>Sold / refunded</source>
        <translation>Vendido / reembolsado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="125"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="233"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="346"/>
        <source>Refund</source>
        <translation>Reembolsar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="155"/>
        <source>Refund every item left</source>
        <translation>Reembolsar todos os itens restantes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="158"/>
        <source>Return the items to stock</source>
        <translation>Devolver os itens ao estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="170"/>
        <source>Amount, up to {remaining}</source>
        <translation>Valor, até {remaining}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="181"/>
        <source>Reason (required)</source>
        <translation>Motivo (obrigatório)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="187"/>
        <source>Wrong item</source>
        <translation>Item errado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="188"/>
        <source>Quality problem</source>
        <translation>Problema de qualidade</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="189"/>
        <source>Customer changed their mind</source>
        <translation>Cliente desistiu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="190"/>
        <source>Charged twice / overcharged</source>
        <translation>Cobrado em dobro / a mais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="199"/>
        <source>Pay it back in cash from the drawer</source>
        <translation>Devolver em dinheiro da gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="205"/>
        <source>Refund the tip too ({tip})</source>
        <translation>Reembolsar também a gorjeta ({tip})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="218"/>
        <source>Card payments go back to the card unless paid back in cash.</source>
        <translation>Pagamentos com cartão voltam para o cartão, a menos que sejam devolvidos em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="231"/>
        <source>Cancel (Esc)</source>
        <translation>Cancelar (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="340"/>
        <source>Refund {amount} + tip {tip}</source>
        <translation>Reembolsar {amount} + gorjeta {tip}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="344"/>
        <source>Refund {amount}</source>
        <translation>Reembolsar {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="364"/>
        <source>Give a reason for the refund.</source>
        <translation>Informe o motivo do reembolso.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="303"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="389"/>
        <source>{amount} is more than can be refunded ({remaining}).</source>
        <translation>{amount} é mais do que se pode reembolsar ({remaining}).</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="51"/>
        <source>Cash</source>
        <translation>Dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="51"/>
        <source>Card</source>
        <translation>Cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="54"/>
        <source>None</source>
        <translation>Nenhum</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="59"/>
        <source>Over {amount}</source>
        <translation>Sobra de {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="61"/>
        <source>Short {amount}</source>
        <translation>Falta de {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="63"/>
        <source>Exact</source>
        <translation>Exato</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="82"/>
        <source>Z report — shift closed</source>
        <translation>Relatório Z — turno fechado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="84"/>
        <source>X report — shift so far</source>
        <translation>Relatório X — turno até agora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="86"/>
        <source>Opened {opened}</source>
        <translation>Aberto em {opened}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="88"/>
        <source>closed {closed}</source>
        <translation>fechado em {closed}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="89"/>
        <source>printed {generated}</source>
        <translation>impresso em {generated}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="92"/>
        <source>Sales</source>
        <translation>Vendas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="95"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="213"/>
        <source>Orders</source>
        <translation>Pedidos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="96"/>
        <source>Gross sales</source>
        <translation>Vendas brutas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="97"/>
        <source>Discounts</source>
        <translation>Descontos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="98"/>
        <source>Net sales (before tax)</source>
        <translation>Vendas líquidas (sem impostos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="99"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="139"/>
        <source>Tax</source>
        <translation>Imposto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="100"/>
        <source>Total taken</source>
        <translation>Total recebido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="115"/>
        <source>Tips (card)</source>
        <translation>Gorjetas (cartão)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="118"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="167"/>
        <source>Tips refunded</source>
        <translation>Gorjetas reembolsadas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="125"/>
        <source>By tender</source>
        <translation>Por forma de pagamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="126"/>
        <source>Tender</source>
        <translation>Forma de pagamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="126"/>
        <source>Count</source>
        <translation>Quantidade</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="126"/>
        <source>Amount</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="126"/>
        <source>Tips</source>
        <translation>Gorjetas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="138"/>
        <source>Tax by rate</source>
        <translation>Imposto por alíquota</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="139"/>
        <source>Rate</source>
        <translation>Alíquota</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="101"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="152"/>
        <source>Refunds</source>
        <translation>Reembolsos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="175"/>
        <source>Voids</source>
        <translation>Anulações</translation>
    </message>
    <message>
        <source>Refunds and voids</source>
        <translation type="vanished">Reembolsos e anulações</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="181"/>
        <source>Opening float</source>
        <translation>Fundo de troco inicial</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="182"/>
        <source>Cash sales</source>
        <translation>Vendas em dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="183"/>
        <source>Cash refunds</source>
        <translation>Reembolsos em dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="184"/>
        <source>Paid in</source>
        <translation>Suprimentos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="185"/>
        <source>Paid out</source>
        <translation>Sangrias</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="190"/>
        <source>Corrections (included above)</source>
        <translation>Correções (já incluídas acima)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="196"/>
        <source>Expected in drawer</source>
        <translation>Esperado na gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="201"/>
        <source>Counted</source>
        <translation>Contado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="203"/>
        <source>Over / short</source>
        <translation>Sobra / falta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="205"/>
        <source>Cash drawer</source>
        <translation>Gaveta de dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="207"/>
        <source>By product</source>
        <translation>Por produto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="208"/>
        <source>Product</source>
        <translation>Produto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="208"/>
        <source>Qty</source>
        <translation>Qtd</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="208"/>
        <source>Net</source>
        <translation>Líquido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="212"/>
        <source>By staff</source>
        <translation>Por funcionário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="213"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="213"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="103"/>
        <source>Net taken</source>
        <translation>Recebido líquido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="107"/>
        <source>Net sales after refunds (before tax)</source>
        <translation>Vendas líquidas após reembolsos (sem imposto)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="110"/>
        <source>Tax refunded</source>
        <translation>Imposto reembolsado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="112"/>
        <source>Tax owed</source>
        <translation>Imposto devido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="176"/>
        <source>No sales (drawer opened)</source>
        <translation>Aberturas sem venda (gaveta)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="178"/>
        <source>Refunds, voids and no sales</source>
        <translation>Reembolsos, anulações e aberturas sem venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="139"/>
        <source>Refunded</source>
        <translation>Reembolsado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="139"/>
        <source>Owed</source>
        <translation>Devido</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="172"/>
        <source>Role of {name}</source>
        <translation>Função de {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="172"/>
        <source>Change role</source>
        <translation>Alterar função</translation>
    </message>
</context>
<context>
    <name>SalesTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="76"/>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="86"/>
        <source>Sales by hour today</source>
        <translation>Vendas por hora hoje</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="87"/>
        <source>Best sellers today (before tax)</source>
        <translation>Mais vendidos hoje (sem impostos)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="159"/>
        <source>Today&apos;s sales: {total}</source>
        <translation>Vendas de hoje: {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="161"/>
        <source>No sales yet today.</source>
        <translation>Nenhuma venda hoje ainda.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="215"/>
        <source>Sales</source>
        <translation>Vendas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="243"/>
        <source>Net sales</source>
        <translation>Vendas líquidas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="65"/>
        <source>Day ends at</source>
        <translation>O dia termina às</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="72"/>
        <source>Save</source>
        <translation>Salvar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="135"/>
        <source>The business day now ends at {time}.</source>
        <translation>O dia comercial agora termina às {time}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="164"/>
        <source>Sales {gross} · refunds {refunds} · net {net} · tips {tips}</source>
        <translation>Vendas {gross} · reembolsos {refunds} · líquido {net} · gorjetas {tips}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="172"/>
        <source>Tax {tax} · refunded {refunded_tax} · owed {net_tax} · voids {voids} · drawer opened without a sale {no_sales}</source>
        <translation>Imposto {tax} · reembolsado {refunded_tax} · devido {net_tax} · anulações {voids} · gaveta aberta sem venda {no_sales}</translation>
    </message>
</context>
<context>
    <name>SellScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="117"/>
        <source>Scan a barcode, or type to search (Enter adds)</source>
        <translation>Leia o código ou busque (Enter adiciona)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="152"/>
        <source>History (F3)</source>
        <translation>Histórico (F3)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="153"/>
        <source>Shift (F4)</source>
        <translation>Turno (F4)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="154"/>
        <source>Back office (F5)</source>
        <translation>Retaguarda (F5)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="186"/>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="187"/>
        <location filename="../../pos_app/ui/screens/sell.py" line="590"/>
        <source>Note</source>
        <translation>Obs.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="188"/>
        <source>Discount</source>
        <translation>Desconto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="189"/>
        <source>Price</source>
        <translation>Preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="191"/>
        <source>Change the price of this line (Ctrl+P)</source>
        <translation>Mudar o preço deste item (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="207"/>
        <location filename="../../pos_app/ui/screens/sell.py" line="747"/>
        <source>Tax</source>
        <translation>Imposto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="212"/>
        <source>Subtotal</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="213"/>
        <source>Discounts</source>
        <translation>Descontos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="215"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="223"/>
        <source>Park (F8)</source>
        <translation>Suspender (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="224"/>
        <source>Recall (F9)</source>
        <translation>Retomar (F9)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="225"/>
        <source>Order discount (F6)</source>
        <translation>Desconto no pedido (F6)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="226"/>
        <source>Void (F7)</source>
        <translation>Anular (F7)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="227"/>
        <source>Pay (F12)</source>
        <translation>Pagar (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="321"/>
        <source>86 — off the menu</source>
        <translation>86 — fora do cardápio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="406"/>
        <source>No products yet</source>
        <translation>Nenhum produto ainda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="409"/>
        <source>Add them in the back office&apos;s Catalog tab: one at a time, or many at once by importing a CSV file.</source>
        <translation>Cadastre-os na aba Catálogo da retaguarda: um a um, ou vários de uma vez importando um arquivo CSV.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="413"/>
        <source>A manager adds them in the back office (Catalog tab).</source>
        <translation>Um gerente os cadastra na retaguarda (aba Catálogo).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="415"/>
        <source>No product matches “{text}”.</source>
        <translation>Nenhum produto corresponde a “{text}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="416"/>
        <source>Check the spelling, or scan the product&apos;s barcode.</source>
        <translation>Confira a grafia, ou leia o código de barras do produto.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="418"/>
        <source>No products in this category.</source>
        <translation>Nenhum produto nesta categoria.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="419"/>
        <source>Choose another category above, or search.</source>
        <translation>Escolha outra categoria acima, ou faça uma busca.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="426"/>
        <source>Open the catalog (F5)</source>
        <translation>Abrir o catálogo (F5)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="465"/>
        <source>No product with code “{code}”.</source>
        <translation>Nenhum produto com o código “{code}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="478"/>
        <source>{name} is off the menu today.</source>
        <translation>{name} está fora do cardápio hoje.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="589"/>
        <source>Note for the kitchen</source>
        <translation>Observação para a cozinha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="595"/>
        <source>No onions</source>
        <translation>Sem cebola</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="596"/>
        <source>Extra hot</source>
        <translation>Bem quente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="597"/>
        <source>To go</source>
        <translation>Para viagem</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="598"/>
        <source>Allergy: nuts</source>
        <translation>Alergia: castanhas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="623"/>
        <source>Line discount</source>
        <translation>Desconto no item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="623"/>
        <source>Order discount</source>
        <translation>Desconto no pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="658"/>
        <source>Discount not applied: no manager approval.</source>
        <translation>Desconto não aplicado: sem aprovação do gerente.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="676"/>
        <source>Discount capped at {amount}: it cannot be more than the amount.</source>
        <translation>Desconto limitado a {amount}: não pode ser maior que o valor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="690"/>
        <source>Change price</source>
        <translation>Mudar preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="692"/>
        <source>New price of one {name}, before its options:</source>
        <translation>Novo preço de um(a) {name}, sem as opções:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="694"/>
        <source>New price of one {name}:</source>
        <translation>Novo preço de um(a) {name}:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="733"/>
        <source>Price changed from {before} to {after}.</source>
        <translation>Preço alterado de {before} para {after}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="747"/>
        <source>Tax (included)</source>
        <translation>Imposto (incluso)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="751"/>
        <source>Order #{number}</source>
        <translation>Pedido nº {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="753"/>
        <source>New order</source>
        <translation>Novo pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="783"/>
        <source>Park order</source>
        <translation>Suspender pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="784"/>
        <source>Name or table number</source>
        <translation>Nome ou número da mesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="805"/>
        <source>Order #{number} parked as “{label}”.</source>
        <translation>Pedido nº {number} suspenso como “{label}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="817"/>
        <source>No parked orders.</source>
        <translation>Nenhum pedido suspenso.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="820"/>
        <source>Recall a parked order</source>
        <translation>Retomar um pedido suspenso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="851"/>
        <source>Park or finish the current order first.</source>
        <translation>Suspenda ou conclua o pedido atual primeiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="861"/>
        <source>Void order</source>
        <translation>Anular pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="862"/>
        <source>Why is this order voided?</source>
        <translation>Por que anular este pedido?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="865"/>
        <source>Customer changed their mind</source>
        <translation>Cliente desistiu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="866"/>
        <source>Rang up by mistake</source>
        <translation>Lançado por engano</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="867"/>
        <source>Customer left</source>
        <translation>Cliente foi embora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="868"/>
        <source>Test order</source>
        <translation>Pedido de teste</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="881"/>
        <source>Order #{number} voided.</source>
        <translation>Pedido nº {number} anulado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="514"/>
        <source>{name} is out of stock ({available} left). A manager can approve selling it.</source>
        <translation>{name} está sem estoque ({available} restantes). Um gerente pode aprovar a venda.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="521"/>
        <source>{name} sold beyond stock: approved and recorded.</source>
        <translation>{name} vendido além do estoque: aprovado e registrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="327"/>
        <source>Out of stock</source>
        <translation>Sem estoque</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../pos_app/ui/session.py" line="54"/>
        <source>Not enough stock for {name}: {available} left, {wanted} wanted.</source>
        <translation>Estoque insuficiente de {name}: restam {available}, foram pedidos {wanted}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="68"/>
        <source>Something went wrong: {error}. The sale is safe; try again.</source>
        <translation>Algo deu errado: {error}. A venda está segura; tente de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="154"/>
        <source>Card reader: {reader}</source>
        <translation>Leitor de cartão: {reader}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="157"/>
        <source>Cards off: {reason}</source>
        <translation>Cartões desativados: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="211"/>
        <source>Connecting to the card reader…</source>
        <translation>Conectando ao leitor de cartão…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="438"/>
        <source>Cash only</source>
        <translation>Só dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="472"/>
        <source>{reader} (busy)</source>
        <translation>{reader} (ocupado)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="60"/>
        <source>{name} is out of stock: {available} left, {wanted} wanted.</source>
        <translation>{name} está sem estoque: {available} restantes, {wanted} pedidos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="87"/>
        <source>Order #{number}: the card payment taken before the restart is recorded; the order is paid.</source>
        <translation>Pedido nº {number}: o pagamento com cartão feito antes do reinício foi registrado; o pedido está pago.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="92"/>
        <source>Order #{number}: its card payment was already recorded.</source>
        <translation>Pedido nº {number}: o pagamento com cartão já estava registrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="95"/>
        <source>Order #{number}: Stripe shows its card payment as charged. Check it in History.</source>
        <translation>Pedido nº {number}: a Stripe mostra o pagamento com cartão como cobrado. Confira no Histórico.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="99"/>
        <source>Order #{number}: its card payment was not finished before the restart and was released; the customer was not charged. It is parked: recall it to take payment, or void it.</source>
        <translation>Pedido nº {number}: o pagamento com cartão não terminou antes do reinício e foi liberado; o cliente não foi cobrado. O pedido está suspenso: retome-o para receber o pagamento, ou anule-o.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="105"/>
        <source>Order #{number}: the card approval lapsed before the restart; the customer was not charged. It is parked: recall it to take payment, or void it.</source>
        <translation>Pedido nº {number}: a aprovação do cartão expirou antes do reinício; o cliente não foi cobrado. O pedido está suspenso: retome-o para receber o pagamento, ou anule-o.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="110"/>
        <source>Order #{number}: its card payment never started. It is parked: recall it to take payment, or void it.</source>
        <translation>Pedido nº {number}: o pagamento com cartão não chegou a começar. O pedido está suspenso: retome-o para receber o pagamento, ou anule-o.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="115"/>
        <source>Order #{number}: the demo card reader restarted with the register; the card was not charged. It is parked: recall it to take payment, or void it.</source>
        <translation>Pedido nº {number}: a maquininha de demonstração reiniciou com o caixa; o cartão não foi cobrado. O pedido está suspenso: retome-o para receber o pagamento, ou anule-o.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="120"/>
        <source>Order #{number}: Stripe could not be reached to settle its card payment; it is tried again at the next start. Do not charge the card again.</source>
        <translation>Pedido nº {number}: não foi possível falar com a Stripe para resolver o pagamento com cartão; será tentado de novo na próxima inicialização. Não cobre o cartão de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="125"/>
        <source>Order #{number} was left unpaid by a restart. It is parked: recall it to take payment, or void it.</source>
        <translation>O pedido nº {number} ficou sem pagamento por causa de um reinício. Está suspenso: retome-o para receber o pagamento, ou anule-o.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="48"/>
        <source>The card approval was released: the customer is not charged.</source>
        <translation>A aprovação do cartão foi liberada: o cliente não foi cobrado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="77"/>
        <source>{amount} in cash was taken for it before the restart: hand it back to the customer (the order is due in full).</source>
        <translation>{amount} em dinheiro foram recebidos por ele antes do reinício: devolva ao cliente (o pedido está a pagar por inteiro).</translation>
    </message>
</context>
<context>
    <name>ShiftScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="70"/>
        <source>Back to selling (F2)</source>
        <translation>Voltar às vendas (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="77"/>
        <source>No shift is open</source>
        <translation>Nenhum turno aberto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="81"/>
        <source>Count the cash in the drawer (the float) and open the shift to start taking cash.</source>
        <translation>Conte o dinheiro da gaveta (o fundo de troco) e abra o turno para começar a receber dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="91"/>
        <source>Opening float, e.g. {example}</source>
        <translation>Fundo de troco, ex.: {example}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="106"/>
        <source>Open shift (Enter)</source>
        <translation>Abrir turno (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="121"/>
        <source>Shift open</source>
        <translation>Turno aberto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="130"/>
        <source>Opening float</source>
        <translation>Fundo de troco inicial</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="131"/>
        <source>Cash sales</source>
        <translation>Vendas em dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="132"/>
        <source>Cash refunds</source>
        <translation>Reembolsos em dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="133"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="164"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="449"/>
        <source>Paid in</source>
        <translation>Suprimentos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="134"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="166"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="450"/>
        <source>Paid out</source>
        <translation>Sangrias</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="145"/>
        <source>Expected in the drawer now</source>
        <translation>Esperado na gaveta agora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="149"/>
        <source>Drawer entries this shift</source>
        <translation>Movimentos da gaveta neste turno</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="158"/>
        <source>Correct the selected entry</source>
        <translation>Corrigir o movimento selecionado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="168"/>
        <source>No sale (open drawer)</source>
        <translation>Abrir gaveta (sem venda)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="170"/>
        <source>X report (F6)</source>
        <translation>Relatório X (F6)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="172"/>
        <source>Count and close shift (F10)</source>
        <translation>Contar e fechar turno (F10)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="193"/>
        <source>Count the drawer</source>
        <translation>Contagem da gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="209"/>
        <source>Back (Esc)</source>
        <translation>Voltar (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="211"/>
        <source>Close shift</source>
        <translation>Fechar turno</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="225"/>
        <source>Done (Esc)</source>
        <translation>Concluído (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="318"/>
        <source>Opened by {name} at {time}</source>
        <translation>Aberto por {name} às {time}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="343"/>
        <source>Count the float first: enter the cash in the drawer.</source>
        <translation>Conte o fundo de troco primeiro: informe o dinheiro da gaveta.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="360"/>
        <source>Shift open with a float of {amount}.</source>
        <translation>Turno aberto com fundo de troco de {amount}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="396"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="451"/>
        <source>No sale</source>
        <translation>Abertura de gaveta sem venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="397"/>
        <source>Why open the drawer?</source>
        <translation>Por que abrir a gaveta?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="400"/>
        <source>Give change</source>
        <translation>Dar troco</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="401"/>
        <source>Check the drawer</source>
        <translation>Conferir a gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="402"/>
        <source>Put a note under the tray</source>
        <translation>Guardar cédula sob a bandeja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="403"/>
        <source>Manager request</source>
        <translation>Solicitação do gerente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="432"/>
        <source>No sale recorded: {reason}. No cash drawer is set up (Back office → Printers): open the drawer with its key.</source>
        <translation>Abertura sem venda registrada: {reason}. Nenhuma gaveta configurada (Retaguarda → Impressoras): abra a gaveta com a chave.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="437"/>
        <source>Paid in {amount}: {reason}</source>
        <translation>Suprimento de {amount}: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="438"/>
        <source>Paid out {amount}: {reason}</source>
        <translation>Sangria de {amount}: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="439"/>
        <source>Drawer opened (no sale): {reason}</source>
        <translation>Gaveta aberta (sem venda): {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="457"/>
        <source>Correction of {kind}</source>
        <translation>Correção de {kind}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="463"/>
        <source>(corrected)</source>
        <translation>(corrigido)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="473"/>
        <source>No paid in, paid out or no sale yet this shift. Each one shows here, and a wrong one can be corrected.</source>
        <translation>Nenhum suprimento, sangria ou abertura sem venda neste turno. Cada um aparece aqui, e um lançamento errado pode ser corrigido.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="493"/>
        <source>Correct a drawer entry</source>
        <translation>Corrigir um movimento da gaveta</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="494"/>
        <source>Why is “{entry}” wrong?</source>
        <translation>Por que “{entry}” está errado?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="496"/>
        <source>Wrong amount typed</source>
        <translation>Valor digitado errado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="496"/>
        <source>Wrong kind (in or out)</source>
        <translation>Tipo errado (entrada ou saída)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="521"/>
        <source>Corrected: {entry}</source>
        <translation>Corrigido: {entry}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="557"/>
        <source>Counted {amount}</source>
        <translation>Contado: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="560"/>
        <source>Expected …</source>
        <translation>Esperado: …</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="564"/>
        <source>Expected {amount}</source>
        <translation>Esperado: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="600"/>
        <source>Shift closed.</source>
        <translation>Turno fechado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="620"/>
        <source>#{number} {status} {label} {total}</source>
        <translation>#{number} {status} {label} {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="631"/>
        <source>Orders still open</source>
        <translation>Pedidos ainda abertos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="633"/>
        <source>These orders are not paid or voided:
{orders}

Close the shift anyway?
They stay in the history to recall or void later.</source>
        <translation>Estes pedidos não foram pagos nem anulados:
{orders}

Fechar o turno mesmo assim?
Eles ficam no histórico para retomar ou anular depois.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="636"/>
        <source>Close anyway</source>
        <translation>Fechar mesmo assim</translation>
    </message>
</context>
<context>
    <name>ShopSettingsTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="65"/>
        <source>At the counter</source>
        <translation>No balcão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="70"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="71"/>
        <source>Never</source>
        <translation>Nunca</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="73"/>
        <source>Lock the counter after</source>
        <translation>Bloquear o caixa após</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="78"/>
        <source>Without a touch or a key for this long, the counter signs the cashier out (never in the middle of a card payment).</source>
        <translation>Sem toque nem tecla por esse tempo, o caixa desconecta o operador (nunca no meio de um pagamento com cartão).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="89"/>
        <source>Discount limit (%)</source>
        <translation>Limite de desconto (%)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="94"/>
        <source>The largest discount a cashier may give alone, as a share of what it applies to; above it a manager approves with their PIN.</source>
        <translation>O maior desconto que um operador pode dar sozinho, como parte do valor a que se aplica; acima disso um gerente aprova com o PIN.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="103"/>
        <source>Receipts</source>
        <translation>Recibos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="105"/>
        <source>Up to {lines} lines of {chars} characters.</source>
        <translation>Até {lines} linhas de {chars} caracteres.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="108"/>
        <source>Header, under the shop&apos;s name</source>
        <translation>Cabeçalho, abaixo do nome da loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="111"/>
        <source>12 Main St, Springfield
Tax ID 12-3456789</source>
        <translation>Rua Principal, 12, Centro
CNPJ 12.345.678/0001-90</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="117"/>
        <source>Footer, at the bottom</source>
        <translation>Rodapé, no fim</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="120"/>
        <source>Thank you! Returns within 30 days.</source>
        <translation>Obrigado! Trocas em até 30 dias.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="134"/>
        <source>Save settings (Ctrl+S)</source>
        <translation>Salvar configurações (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="184"/>
        <source>Type a percentage from 0 to 100, like {example}.</source>
        <translation>Digite uma porcentagem de 0 a 100, como {example}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="210"/>
        <source>Nothing saved: fix what is marked in red.</source>
        <translation>Nada foi salvo: corrija o que está em vermelho.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="225"/>
        <source>Saved: the counter uses these from its next action.</source>
        <translation>Salvo: o caixa usa estes valores a partir da próxima ação.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/shop_settings_tab.py" line="226"/>
        <source>Shop settings saved.</source>
        <translation>Configurações da loja salvas.</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="18"/>
        <source>Cashier</source>
        <translation>Caixa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="19"/>
        <source>Manager</source>
        <translation>Gerente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="20"/>
        <source>Owner</source>
        <translation>Proprietário</translation>
    </message>
</context>
<context>
    <name>StaffTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="48"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="48"/>
        <source>Role</source>
        <translation>Função</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="48"/>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="60"/>
        <source>Add staff…</source>
        <translation>Adicionar funcionário…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="62"/>
        <source>Change role…</source>
        <translation>Alterar função…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="64"/>
        <source>Reset PIN…</source>
        <translation>Redefinir PIN…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="66"/>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="68"/>
        <source>Let them sign in again now, after wrong PINs.</source>
        <translation>Permitir entrar de novo agora, depois de PINs errados.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="69"/>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="246"/>
        <source>Deactivate</source>
        <translation>Desativar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="96"/>
        <source>Locked until {time} (wrong PINs)</source>
        <translation>Bloqueado até {time} (PINs errados)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="99"/>
        <source>Active</source>
        <translation>Ativo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="93"/>
        <source>Deactivated</source>
        <translation>Desativado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="169"/>
        <source>{name} can now sign in.</source>
        <translation>{name} já pode entrar.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="202"/>
        <source>{name} is now {role}.</source>
        <translation>{name} agora é {role}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="218"/>
        <source>New PIN set for {name}.</source>
        <translation>Novo PIN definido para {name}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="232"/>
        <source>{name} can sign in again.</source>
        <translation>{name} pode entrar de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="242"/>
        <source>Deactivate {name}?</source>
        <translation>Desativar {name}?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="244"/>
        <source>{name} will no longer be able to sign in. Their sales stay in the history.</source>
        <translation>{name} não poderá mais entrar. As vendas dessa pessoa continuam no histórico.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="253"/>
        <source>{name} is deactivated.</source>
        <translation>Acesso de {name} desativado.</translation>
    </message>
</context>
<context>
    <name>StockTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="50"/>
        <source>Find a product by name or SKU</source>
        <translation>Buscar produto por nome ou SKU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>Product</source>
        <translation>Produto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>In stock</source>
        <translation>Em estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>On sale / 86</source>
        <translation>À venda / 86</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="75"/>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="172"/>
        <source>Choose a product to count.</source>
        <translation>Escolha um produto para contar.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="80"/>
        <source>Save count</source>
        <translation>Salvar contagem</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="129"/>
        <source>On sale</source>
        <translation>À venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="129"/>
        <source>86&apos;d — off</source>
        <translation>Em falta (86)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="131"/>
        <source>Tap to take it off sale (86)</source>
        <translation>Toque para tirar de venda (86)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="133"/>
        <source>Tap to put it back on sale</source>
        <translation>Toque para voltar a vender</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="148"/>
        <source>Off the menu</source>
        <translation>Fora do cardápio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="150"/>
        <source>Not counted</source>
        <translation>Sem controle</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="152"/>
        <source>Out of stock</source>
        <translation>Sem estoque</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="154"/>
        <source>Low</source>
        <translation>Baixo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="155"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="174"/>
        <source>Count of {name}:</source>
        <translation>Contagem de {name}:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="205"/>
        <source>{name} is back on sale.</source>
        <translation>{name} voltou à venda.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="207"/>
        <source>{name} is 86&apos;d: off the menu.</source>
        <translation>{name} está em falta (86): fora do cardápio.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="238"/>
        <source>{name}: {count} counted ({delta:+d}).</source>
        <translation>{name}: {count} contados ({delta:+d}).</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="36"/>
        <source>Sync: starting…</source>
        <translation>Sincronização: iniciando…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="40"/>
        <source>Unpaired on the server — pair again</source>
        <translation>Despareado no servidor — pareie de novo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="76"/>
        <source>This register was unpaired on the server. Pair it again with a new pairing code (pos-app pair). Its sales are kept and sent after pairing.</source>
        <translation>Este caixa foi despareado no servidor. Pareie-o de novo com um novo código de pareamento (pos-app pair). As vendas dele são mantidas e enviadas depois do pareamento.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="42"/>
        <source>Not synced (standalone)</source>
        <translation>Sem sincronização (independente)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="44"/>
        <source>Offline since {time} — {count} pending</source>
        <translation>Offline desde {time} — pendentes: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="49"/>
        <source>Sync error — click for details</source>
        <translation>Erro de sincronização — clique para detalhes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="51"/>
        <source>{count} pending</source>
        <translation>Pendentes: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="52"/>
        <source>Synced</source>
        <translation>Sincronizado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="58"/>
        <source>oversold: {items}</source>
        <translation>vendido além do estoque: {items}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="62"/>
        <source>{count} refused (Back office → Sync)</source>
        <translation>{count} recusadas (Retaguarda → Sincronização)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="71"/>
        <source>Sync</source>
        <translation>Sincronização</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="81"/>
        <source>This register is not paired with a sync server.</source>
        <translation>Este caixa não está pareado com um servidor de sincronização.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="83"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="85"/>
        <source>Server: {url}</source>
        <translation>Servidor: {url}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="86"/>
        <source>Device: {id}</source>
        <translation>Dispositivo: {id}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="87"/>
        <source>Changes waiting to be sent: {count}</source>
        <translation>Alterações aguardando envio: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="88"/>
        <source>Changes the server refused: {count}</source>
        <translation>Alterações recusadas pelo servidor: {count}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="89"/>
        <source>Last successful sync: {when}</source>
        <translation>Última sincronização bem-sucedida: {when}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="96"/>
        <source>Last error: {error}</source>
        <translation>Último erro: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="99"/>
        <source>Sold more than the shop had (check the shelves): {items}</source>
        <translation>Vendido mais do que a loja tinha (confira as prateleiras): {items}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="108"/>
        <source>Sync now</source>
        <translation>Sincronizar agora</translation>
    </message>
</context>
<context>
    <name>SyncTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="109"/>
        <source>This register is not paired</source>
        <translation>Este caixa não está pareado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="111"/>
        <source>Pairing links this register to the shop&apos;s sync server: its sales, refunds and stock counts go to the shop&apos;s books and reports, and the other registers&apos; catalog changes and any chargebacks come back. Until then everything stays on this computer (nothing is lost; it is sent once paired). Ask for a pairing code on the server, then pair here.</source>
        <translation>O pareamento liga este caixa ao servidor de sincronização da loja: vendas, reembolsos e contagens de estoque vão para os livros e relatórios da loja, e as mudanças de catálogo dos outros caixas e as contestações voltam. Até lá, tudo fica neste computador (nada se perde; é enviado depois do pareamento). Peça um código de pareamento no servidor e pareie aqui.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="117"/>
        <source>Pair this register…</source>
        <translation>Parear este caixa…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="129"/>
        <source>The sync server refused these changes: they are not in the shop&apos;s books on the server (and so not in its reports or fees). Everything else keeps syncing. Select one to see what to do.</source>
        <translation>O servidor de sincronização recusou estas alterações: elas não estão nos registros da loja no servidor (nem nos relatórios ou nas taxas). Todo o resto continua sincronizando. Selecione uma para ver o que fazer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="140"/>
        <source>Recorded</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="140"/>
        <source>What</source>
        <translation>O quê</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="140"/>
        <source>Why</source>
        <translation>Por quê</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="140"/>
        <source>Details</source>
        <translation>Detalhes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="196"/>
        <source>Paired with {shop}: this register syncs from now on.</source>
        <translation>Pareado com {shop}: este caixa sincroniza a partir de agora.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="204"/>
        <source>Pairing failed: {error}</source>
        <translation>O pareamento falhou: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="219"/>
        <source>amounts do not follow the pricing rules</source>
        <translation>os valores não seguem as regras de preço</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="220"/>
        <source>date outside what the server accepts</source>
        <translation>data fora do que o servidor aceita</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="221"/>
        <source>another currency than the shop&apos;s</source>
        <translation>moeda diferente da moeda da loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="222"/>
        <source>an amount beyond any sale</source>
        <translation>um valor acima de qualquer venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="223"/>
        <source>a record number already used</source>
        <translation>um número de registro já usado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="224"/>
        <source>parts that do not fit together</source>
        <translation>partes que não combinam entre si</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="225"/>
        <source>a damaged record</source>
        <translation>um registro danificado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="226"/>
        <source>its sale is not on the server</source>
        <translation>a venda não está no servidor</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="227"/>
        <source>its sale was refused</source>
        <translation>a venda foi recusada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="228"/>
        <source>more refunded than is left of the sale</source>
        <translation>mais reembolso do que resta da venda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="234"/>
        <source>The register&apos;s clock was wrong when this was recorded. Set the date and time of this computer; if the sale really happened, ring it up again.</source>
        <translation>O relógio do caixa estava errado quando isto foi registrado. Acerte a data e a hora deste computador; se a venda aconteceu de fato, registre-a de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="239"/>
        <source>This register sells in another currency than the shop on the server. Pair a register that is set up for this shop.</source>
        <translation>Este caixa vende em uma moeda diferente da loja no servidor. Pareie um caixa configurado para esta loja.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="244"/>
        <source>It belongs to a sale the server does not have. Sort out that sale first (it is in this list if it was refused); this change needs nothing more.</source>
        <translation>Pertence a uma venda que o servidor não tem. Resolva essa venda primeiro (ela está nesta lista se foi recusada); esta alteração não precisa de mais nada.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="249"/>
        <source>Another register, Stripe&apos;s dashboard or a lost chargeback already gave this money back. Check the order in History before giving anything more: if the customer is still owed money, refund only what is left.</source>
        <translation>Outro caixa, o painel da Stripe ou um chargeback perdido já devolveu este dinheiro. Confira o pedido no Histórico antes de devolver mais: se o cliente ainda tiver algo a receber, reembolse só o que resta.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="254"/>
        <source>This register recorded figures the server cannot accept. Do not ring the sale up again: call support with the details shown, and check the drawer against the order in History.</source>
        <translation>Este caixa registrou valores que o servidor não pode aceitar. Não registre a venda de novo: chame o suporte com os detalhes mostrados e confira a gaveta com o pedido no Histórico.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="264"/>
        <source>Sale #{number}, {total}</source>
        <translation>Venda nº {number}, {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="269"/>
        <source>Refund of {amount}</source>
        <translation>Reembolso de {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="273"/>
        <source>Card payment</source>
        <translation>Pagamento com cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sync_tab.py" line="292"/>
        <source>The server accepted everything this register sent.</source>
        <translation>O servidor aceitou tudo o que este caixa enviou.</translation>
    </message>
</context>
<context>
    <name>WebConsoleSection</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="25"/>
        <source>Web console</source>
        <translation>Console web</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="28"/>
        <source>The shop&apos;s owners see sales, fee statements, registers and chargebacks in a web browser, on a computer or a phone. Enter an owner&apos;s email: the sync server sends them a link to choose their password (it works once, for 3 days).</source>
        <translation>Os donos da loja veem vendas, extratos de taxas, caixas e contestações num navegador, no computador ou no celular. Digite o e-mail de um dono: o servidor de sincronização envia um link para ele escolher a senha (funciona uma vez, por 3 dias).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="39"/>
        <source>owner@example.com</source>
        <translation>dono@exemplo.com.br</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="40"/>
        <source>Owner&apos;s email</source>
        <translation>E-mail do dono</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="42"/>
        <source>Invite owner</source>
        <translation>Convidar dono</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="56"/>
        <source>Enter the owner&apos;s email address.</source>
        <translation>Digite o e-mail do dono.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="85"/>
        <source>invite an owner to the web console</source>
        <translation>convidar um dono para o console web</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="92"/>
        <source>Sending the invitation to {email}…</source>
        <translation>Enviando o convite para {email}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="109"/>
        <source>Invitation sent to {email}. The link in the email works once, until {until}.</source>
        <translation>Convite enviado para {email}. O link do e-mail funciona uma vez, até {until}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="123"/>
        <source>This register is not paired with the shop&apos;s sync server: pair it first (Back office → Sync), then invite.</source>
        <translation>Este caixa não está pareado com o servidor de sincronização da loja: pareie primeiro (Retaguarda → Sincronização) e depois convide.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="128"/>
        <source>The sync server no longer accepts this register: pair it again, then invite.</source>
        <translation>O servidor de sincronização não aceita mais este caixa: pareie de novo e depois convide.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="132"/>
        <source>The sync server cannot be reached (is the internet down?). Nothing was sent twice: invite again when the connection is back.</source>
        <translation>Não foi possível falar com o servidor de sincronização (a internet caiu?). Nada foi enviado duas vezes: convide de novo quando a conexão voltar.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="137"/>
        <source>Too many invitations from this shop for now: wait an hour and try again.</source>
        <translation>Convites demais desta loja por agora: espere uma hora e tente de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="140"/>
        <source>The sync server failed: try again in a few minutes.</source>
        <translation>O servidor de sincronização falhou: tente de novo em alguns minutos.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/web_console.py" line="141"/>
        <source>The sync server refused the invitation: {reason}</source>
        <translation>O servidor de sincronização recusou o convite: {reason}</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="50"/>
        <source>Cancel (Esc)</source>
        <translation>Cancelar (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="77"/>
        <source>The two PINs are not the same: type them again.</source>
        <translation>Os dois PINs não são iguais: digite-os de novo.</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="8"/>
        <source>A test card was used. Ask for another card.</source>
        <translation>Foi usado um cartão de teste. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="9"/>
        <source>Cannot reach Stripe. Card payments are paused: take cash, or try again.</source>
        <translation>Sem conexão com o Stripe. Pagamentos com cartão pausados: receba em dinheiro ou tente de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="12"/>
        <source>Card declined. Ask for another card or take cash.</source>
        <translation>Cartão recusado. Peça outro cartão ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="13"/>
        <source>Card declined. Ask for another card.</source>
        <translation>Cartão recusado. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="14"/>
        <source>Card declined. Ask for another way to pay.</source>
        <translation>Cartão recusado. Peça outra forma de pagamento.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="15"/>
        <source>Connection to Stripe lost: still trying…</source>
        <translation>Conexão com o Stripe perdida: tentando de novo…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="16"/>
        <source>Declined by the card&apos;s bank. Ask for another card or take cash.</source>
        <translation>Recusado pelo banco do cartão. Peça outro cartão ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="19"/>
        <source>Declined by the card&apos;s bank. Ask for another card; the customer can call their bank.</source>
        <translation>Recusado pelo banco do cartão. Peça outro cartão; o cliente pode ligar para o banco.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="23"/>
        <source>Declined: not enough funds. Ask for another card or take cash.</source>
        <translation>Recusado: saldo insuficiente. Peça outro cartão ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="24"/>
        <source>Declined: the card&apos;s limit is reached. Ask for another card.</source>
        <translation>Recusado: limite do cartão atingido. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="25"/>
        <source>Stripe did not confirm the charge. The order will be completed as soon as Stripe answers; do not charge the card again.</source>
        <translation>O Stripe não confirmou a cobrança. O pedido será concluído assim que o Stripe responder; não cobre o cartão de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="29"/>
        <source>Stripe is having trouble right now. Try the card again, or take cash.</source>
        <translation>O Stripe está com problemas agora. Tente o cartão de novo ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="32"/>
        <source>The Stripe key was refused. A manager must check the key in Back office → Card reader.</source>
        <translation>A chave Stripe foi recusada. Um gerente precisa verificar a chave em Retaguarda → Leitor de cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="36"/>
        <source>The card approval has expired or was cancelled. Ask for the card again, or cash.</source>
        <translation>A autorização do cartão expirou ou foi cancelada. Peça o cartão de novo ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="40"/>
        <source>The card could not be processed. Try again in a moment.</source>
        <translation>Não foi possível processar o cartão. Tente de novo em instantes.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="41"/>
        <source>The card could not be processed. Try the card again.</source>
        <translation>Não foi possível processar o cartão. Tente o cartão de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="42"/>
        <source>The card has expired. Ask for another card.</source>
        <translation>O cartão está vencido. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="43"/>
        <source>The card payment was cancelled.</source>
        <translation>O pagamento com cartão foi cancelado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="44"/>
        <source>The card reader did not answer in time. Try again.</source>
        <translation>O leitor de cartão não respondeu a tempo. Tente de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="45"/>
        <source>The card reader is busy with another payment. Cancel it on the reader, or wait.</source>
        <translation>O leitor de cartão está ocupado com outro pagamento. Cancele-o no leitor ou aguarde.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="49"/>
        <source>The card reader is offline. Check its power and Wi-Fi, or take cash.</source>
        <translation>O leitor de cartão está offline. Verifique a energia e o Wi-Fi, ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="52"/>
        <source>The card reader reported a fault. Restart it, or take cash.</source>
        <translation>O leitor de cartão informou uma falha. Reinicie-o ou receba em dinheiro.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="53"/>
        <source>The customer cancelled on the reader.</source>
        <translation>O cliente cancelou no leitor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="54"/>
        <source>The payment was cancelled on the reader.</source>
        <translation>O pagamento foi cancelado no leitor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="55"/>
        <source>The reader stopped this payment. Try the card again.</source>
        <translation>O leitor interrompeu este pagamento. Tente o cartão de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="56"/>
        <source>This card cannot be used for this purchase. Ask for another card.</source>
        <translation>Este cartão não pode ser usado nesta compra. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="59"/>
        <source>This card cannot be used here. Ask for another card.</source>
        <translation>Este cartão não é aceito aqui. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="60"/>
        <source>This card cannot pay in this currency. Ask for another card.</source>
        <translation>Este cartão não aceita pagamento nesta moeda. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="61"/>
        <source>This card needs its PIN: ask the customer to insert the card.</source>
        <translation>Este cartão exige a senha (PIN): peça ao cliente para inserir o cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="62"/>
        <source>This card payment is already being charged; refund it instead.</source>
        <translation>Este pagamento com cartão já está sendo cobrado; faça um reembolso.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="63"/>
        <source>Too many wrong PINs. Ask for another card.</source>
        <translation>Senha (PIN) errada vezes demais. Peça outro cartão.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="64"/>
        <source>Waiting for the customer&apos;s card: tap, insert or swipe.</source>
        <translation>Aguardando o cartão do cliente: aproxime, insira ou passe.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="65"/>
        <source>Wrong PIN. Ask the customer to try again.</source>
        <translation>Senha (PIN) incorreta. Peça ao cliente para tentar de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="66"/>
        <source>a card cannot be charged more than what is still due</source>
        <translation>não é possível cobrar no cartão mais do que o valor restante</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="67"/>
        <source>a refund must be more than zero</source>
        <translation>o reembolso precisa ser maior que zero</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="68"/>
        <source>a shift is already open on this register</source>
        <translation>já há um turno aberto neste caixa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="70"/>
        <source>Nothing went back to the card. Check the payment in Stripe (it may have been refunded there already); what is still owed can be refunded again as an amount, from the drawer.</source>
        <translation>Nada voltou para o cartão. Confira o pagamento na Stripe (talvez já tenha sido reembolsado lá); o que ainda é devido pode ser reembolsado de novo como valor, pelo caixa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="75"/>
        <source>Stripe says this card payment was already refunded (in Stripe&apos;s dashboard?): the customer has that money back. Do not pay it again.</source>
        <translation>A Stripe diz que este pagamento com cartão já foi reembolsado (no painel da Stripe?): o cliente já recebeu esse dinheiro. Não pague de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="80"/>
        <source>This card payment is disputed: the customer&apos;s bank is returning the money. Do not pay it again.</source>
        <translation>Este pagamento com cartão está em contestação: o banco do cliente está devolvendo o dinheiro. Não pague de novo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="85"/>
        <source>an empty order cannot be parked</source>
        <translation>um pedido vazio não pode ser suspenso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="86"/>
        <source>the drawer does not hold that much cash: record a paid-in from the safe first, or refund less</source>
        <translation>o caixa não tem tanto dinheiro: registre um suprimento do cofre antes, ou reembolse menos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="91"/>
        <source>those units were free: there is no money to refund for them</source>
        <translation>essas unidades foram gratuitas: não há dinheiro a reembolsar por elas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="92"/>
        <source>those units&apos; share of the line rounds to nothing: refund them together with other units of the line</source>
        <translation>a parte dessas unidades no item arredonda para zero: reembolse-as junto com outras unidades do item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="97"/>
        <source>enter an amount above zero</source>
        <translation>digite um valor maior que zero</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="98"/>
        <source>give a reason</source>
        <translation>informe um motivo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="99"/>
        <source>give a reason for the refund</source>
        <translation>informe o motivo do reembolso</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="100"/>
        <source>give a reason for the void</source>
        <translation>informe o motivo da anulação</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="101"/>
        <source>no shift is open on this register</source>
        <translation>nenhum turno aberto neste caixa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="102"/>
        <source>open a shift (count the float) before taking cash</source>
        <translation>abra um turno (conte o fundo de troco) antes de receber dinheiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="103"/>
        <source>park the order under a name or number</source>
        <translation>suspenda o pedido com um nome ou número</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="104"/>
        <source>that refund is more than what remains paid on the order</source>
        <translation>esse reembolso é maior que o valor pago restante no pedido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="105"/>
        <source>the float cannot be negative</source>
        <translation>o fundo de troco não pode ser negativo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="106"/>
        <source>the order is already paid in full</source>
        <translation>o pedido já está totalmente pago</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="107"/>
        <source>there is nothing to pay for</source>
        <translation>não há nada a pagar</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="108"/>
        <source>tips are taken on card only</source>
        <translation>gorjetas só no cartão</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="158"/>
        <source>that email address does not look right</source>
        <translation>esse endereço de e-mail não parece correto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="159"/>
        <source>give the phone number with its country code, like +15551234567</source>
        <translation>informe o telefone com o código do país, como +5511912345678</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="69"/>
        <source>a tip cannot be more than the amount it is added to</source>
        <translation>a gorjeta não pode ser maior que o valor ao qual é acrescentada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="109"/>
        <source>wrong PIN</source>
        <translation>PIN incorreto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="110"/>
        <source>a PIN is 4 to 8 digits</source>
        <translation>um PIN tem de 4 a 8 dígitos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="111"/>
        <source>this register is already set up: a new shop needs an empty data directory (POS_DATA_DIR)</source>
        <translation>este caixa já está configurado: uma loja nova precisa de um diretório de dados vazio (POS_DATA_DIR)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="115"/>
        <source>enter the shop&apos;s name</source>
        <translation>digite o nome da loja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="116"/>
        <source>enter the owner&apos;s name</source>
        <translation>digite o nome do proprietário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="117"/>
        <source>unknown currency: choose one this register knows, such as USD, EUR or BRL</source>
        <translation>moeda desconhecida: escolha uma que este caixa conhece, como USD, EUR ou BRL</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="120"/>
        <source>unknown time zone: use a name such as America/New_York or Europe/Paris</source>
        <translation>fuso horário desconhecido: use um nome como America/Sao_Paulo ou Europe/Lisbon</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="123"/>
        <source>unknown language: en_US or pt_BR</source>
        <translation>idioma desconhecido: en_US ou pt_BR</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="124"/>
        <source>nothing to pay: complete the order at no charge, with a reason</source>
        <translation>nada a pagar: conclua o pedido sem cobrança, com um motivo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="125"/>
        <source>an order at no charge needs the discount permission</source>
        <translation>um pedido sem cobrança precisa da permissão de desconto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="126"/>
        <source>give a reason for an order at no charge</source>
        <translation>informe o motivo do pedido sem cobrança</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="127"/>
        <source>an order at no charge takes no payment</source>
        <translation>um pedido sem cobrança não recebe pagamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="128"/>
        <source>only an order whose total is zero is completed at no charge</source>
        <translation>só um pedido com total zero é concluído sem cobrança</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="129"/>
        <source>the drawer does not hold that much cash: record a paid-in from the safe first, or take out less</source>
        <translation>a gaveta não tem tanto dinheiro: registre antes um suprimento do cofre, ou retire menos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="134"/>
        <source>a no-sale moved no money: there is nothing to correct</source>
        <translation>uma abertura sem venda não movimentou dinheiro: não há nada a corrigir</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="135"/>
        <source>a correction cannot be corrected: record a new paid in or out</source>
        <translation>uma correção não pode ser corrigida: registre um novo suprimento ou sangria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="136"/>
        <source>that entry is already corrected</source>
        <translation>esse movimento já foi corrigido</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="137"/>
        <source>that entry is not in the open shift</source>
        <translation>esse movimento não é do turno aberto</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="139"/>
        <source>column is missing</source>
        <translation>a coluna está faltando</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="140"/>
        <source>unknown column: the columns are {columns}</source>
        <translation>coluna desconhecida: as colunas são {columns}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="141"/>
        <source>the column appears twice</source>
        <translation>a coluna aparece duas vezes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="142"/>
        <source>more than {limit} rows</source>
        <translation>mais de {limit} linhas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="143"/>
        <source>more cells than columns</source>
        <translation>mais células que colunas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="144"/>
        <source>is empty</source>
        <translation>está vazia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="145"/>
        <source>is longer than {limit} characters</source>
        <translation>tem mais de {limit} caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="146"/>
        <source>{value} repeats row {row}</source>
        <translation>{value} repete a linha {row}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="147"/>
        <source>{value} is already used by {name} ({sku})</source>
        <translation>{value} já é usado por {name} ({sku})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="148"/>
        <source>{value} is not a price (digits and a dot, like 4.50)</source>
        <translation>{value} não é um preço (dígitos e um ponto, como 4.50)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="149"/>
        <source>{value} has more than {decimals} decimal places</source>
        <translation>{value} tem mais de {decimals} casas decimais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="150"/>
        <source>cannot be negative</source>
        <translation>não pode ser negativo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="151"/>
        <source>{value} is not a tax rate in percent from 0 to 100 (like 8.875)</source>
        <translation>{value} não é uma alíquota em porcentagem de 0 a 100 (como 8.875)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="154"/>
        <source>{value} is not yes/no</source>
        <translation>{value} não é sim/não</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="155"/>
        <source>{value} is not a whole number</source>
        <translation>{value} não é um número inteiro</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="156"/>
        <source>changing the business day needs the owner</source>
        <translation>mudar o dia comercial exige o proprietário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="157"/>
        <source>the business day must end between 00:00 and 11:59</source>
        <translation>o dia comercial deve terminar entre 00:00 e 11:59</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="9"/>
        <source>the idle lock is 0 (never) to 60 minutes</source>
        <translation>o bloqueio por inatividade vai de 0 (nunca) a 60 minutos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="10"/>
        <source>the discount limit is 0 to 100 %</source>
        <translation>o limite de desconto vai de 0 a 100 %</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="11"/>
        <source>a receipt header or footer has at most 4 lines</source>
        <translation>o cabeçalho ou rodapé do recibo tem no máximo 4 linhas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="12"/>
        <source>a receipt line can be at most 32 characters</source>
        <translation>uma linha do recibo pode ter no máximo 32 caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="13"/>
        <source>changing the shop&apos;s settings needs the owner</source>
        <translation>mudar as configurações da loja exige o proprietário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="15"/>
        <source>give the printer a name, like “Kitchen” or “Front counter”</source>
        <translation>dê um nome à impressora, como “Cozinha” ou “Balcão”</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="16"/>
        <source>a printer name can be at most 60 characters</source>
        <translation>o nome da impressora pode ter no máximo 60 caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="17"/>
        <source>the printer port must be between 1 and 65535 (usually 9100)</source>
        <translation>a porta da impressora deve estar entre 1 e 65535 (em geral 9100)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="18"/>
        <source>a cash drawer is wired to the receipt printer</source>
        <translation>a gaveta é ligada à impressora de recibos</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="19"/>
        <source>printer set-up needs the settings permission</source>
        <translation>configurar impressoras exige a permissão de configurações</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="20"/>
        <source>that printer is no longer set up</source>
        <translation>essa impressora não está mais configurada</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="21"/>
        <source>no cash drawer is wired to this printer</source>
        <translation>nenhuma gaveta está ligada a esta impressora</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="22"/>
        <source>enter the server address and the pairing code</source>
        <translation>digite o endereço do servidor e o código de pareamento</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="24"/>
        <source>catalog changes need a manager</source>
        <translation>mudanças no catálogo exigem um gerente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="25"/>
        <source>give the category a name</source>
        <translation>dê um nome à categoria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="26"/>
        <source>a category name can be at most 60 characters</source>
        <translation>o nome da categoria pode ter no máximo 60 caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="27"/>
        <source>there is already a category with that name</source>
        <translation>já existe uma categoria com esse nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="28"/>
        <source>move its products to another category first</source>
        <translation>mova antes os produtos dela para outra categoria</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="29"/>
        <source>that category no longer exists</source>
        <translation>essa categoria não existe mais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="30"/>
        <source>give the group a name, like “Size” or “Milk”</source>
        <translation>dê um nome ao grupo, como “Tamanho” ou “Leite”</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="31"/>
        <source>a group name can be at most 60 characters</source>
        <translation>o nome do grupo pode ter no máximo 60 caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="32"/>
        <source>add at least one choice to the group</source>
        <translation>adicione pelo menos uma opção ao grupo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="33"/>
        <source>every choice needs a name</source>
        <translation>toda opção precisa de um nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="34"/>
        <source>a choice name can be at most 60 characters</source>
        <translation>o nome de uma opção pode ter no máximo 60 caracteres</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="35"/>
        <source>two choices have the same name</source>
        <translation>duas opções têm o mesmo nome</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="36"/>
        <source>the most choices must be at least 1, and at least the fewest</source>
        <translation>o máximo de escolhas deve ser pelo menos 1, e pelo menos o mínimo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="37"/>
        <source>the fewest choices cannot be more than the choices offered</source>
        <translation>o mínimo de escolhas não pode passar das opções oferecidas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="38"/>
        <source>the most choices cannot be more than the choices offered</source>
        <translation>o máximo de escolhas não pode passar das opções oferecidas</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="39"/>
        <source>that modifier group no longer exists</source>
        <translation>esse grupo de opções não existe mais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="40"/>
        <source>that product no longer exists</source>
        <translation>esse produto não existe mais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="41"/>
        <source>a choice&apos;s price change is too large</source>
        <translation>a variação de preço da opção é grande demais</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="43"/>
        <source>staff changes need a manager</source>
        <translation>mudanças na equipe exigem um gerente</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="44"/>
        <source>only an owner can change an owner&apos;s account</source>
        <translation>só um proprietário pode mudar a conta de um proprietário</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="46"/>
        <source>a price cannot be negative</source>
        <translation>um preço não pode ser negativo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/messages.py" line="47"/>
        <source>a price change needs the price-override permission</source>
        <translation>mudar um preço exige a permissão de alterar preços</translation>
    </message>
</context>
</TS>
