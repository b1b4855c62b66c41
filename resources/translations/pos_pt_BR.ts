<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AddStaffDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="90"/>
        <source>Add a staff member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="90"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="95"/>
        <source>Name as shown on the sign-in screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="100"/>
        <source>PIN (4 to 8 digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="101"/>
        <source>The same PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="109"/>
        <source>Enter the person&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackOfficeScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="37"/>
        <source>Back to selling (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="41"/>
        <source>Chargebacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="56"/>
        <source>Catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="57"/>
        <source>Stock &amp;&amp; 86</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="58"/>
        <source>Staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="59"/>
        <source>Card reader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="60"/>
        <source>Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/backoffice.py" line="75"/>
        <source>Sales charts need the PySide6-Addons package ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CardReaderTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="32"/>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="41"/>
        <source>Reader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="40"/>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="42"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="45"/>
        <source>Stripe key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="54"/>
        <source>Restricted key: rk_live_… or rk_test_…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="56"/>
        <source>Save key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="64"/>
        <source>Pair a reader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="68"/>
        <source>Registration code shown on the reader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="72"/>
        <source>Register reader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="101"/>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="170"/>
        <source>Saved key: {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="107"/>
        <source>The keyring could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="117"/>
        <source>Demo (built-in practice reader, no real money)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="118"/>
        <source>Test (Stripe test mode, no real money)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="119"/>
        <source>Live (real payments)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="125"/>
        <source>None paired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="130"/>
        <source>Save a Stripe key first: demo mode uses the practice reader.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="138"/>
        <source>Online: {reader}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="141"/>
        <source>Not available: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="162"/>
        <source>Saving the key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="181"/>
        <source>Key saved ({key}). Reconnecting the reader…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="192"/>
        <source>The key could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="203"/>
        <source>Enter the registration code the reader shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="210"/>
        <source>Registering the reader with Stripe…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/card_reader_tab.py" line="224"/>
        <source>Reader {reader} paired. Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="44"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="44"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="44"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="59"/>
        <source>discount −{amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/cart_model.py" line="65"/>
        <source>Note: {note}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CashCountWidget</name>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="37"/>
        <source>Note / coin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="38"/>
        <source>How many</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/cash_count.py" line="39"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CashMovementDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="40"/>
        <source>Paid in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="40"/>
        <source>Paid out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="45"/>
        <source>Cash put into the drawer (not a sale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="47"/>
        <source>Cash taken out of the drawer (not a refund)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="53"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="58"/>
        <source>Reason (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="61"/>
        <source>Change from the bank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="61"/>
        <source>Float top-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="64"/>
        <source>Supplier paid in cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="65"/>
        <source>Cash drop to the safe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="66"/>
        <source>Petty cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="67"/>
        <source>Tips paid out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="82"/>
        <source>Cancel (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/cash_movement.py" line="84"/>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="67"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="140"/>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="68"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="141"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="69"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="144"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="70"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="142"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="71"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="143"/>
        <source>Tax %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="72"/>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="132"/>
        <source>On sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="73"/>
        <source>Stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="89"/>
        <source>New product (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="92"/>
        <source>Import CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="112"/>
        <source>Choose a product, or add one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="134"/>
        <source>Count stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="145"/>
        <source>Barcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="150"/>
        <source>In stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="157"/>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="191"/>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="191"/>
        <source>86&apos;d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="221"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="258"/>
        <source>New product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="270"/>
        <source>Edit {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="295"/>
        <source>Price: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="301"/>
        <source>Tax: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="350"/>
        <source>{name} saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="364"/>
        <source>Import products from a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="368"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="399"/>
        <source>{created} new, {updated} updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="403"/>
        <source>, {count} new categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="405"/>
        <source>Imported {file}: {result}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="408"/>
        <source>Catalog imported: {result}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="414"/>
        <source>Row {row}, column {column}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="420"/>
        <source>{file} was not imported (nothing changed):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="426"/>
        <source>{file} was not imported: {count} problems, listed below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/catalog_tab.py" line="433"/>
        <source>Could not read {file}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="98"/>
        <source>Percent (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="99"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="105"/>
        <source>e.g. 10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="114"/>
        <source>Reason (staff meal, loyalty, damaged…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="123"/>
        <source>Remove discount</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisputesScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="32"/>
        <source>Chargebacks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="36"/>
        <source>A customer&apos;s bank is disputing these card payments. Send the evidence before the due date, or the shop loses the money and a dispute fee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="46"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="47"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="48"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="49"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="50"/>
        <source>Evidence due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="51"/>
        <source>Fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="52"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="64"/>
        <source>Back to selling (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="66"/>
        <source>Send the evidence (receipt and order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="87"/>
        <source>evidence sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="89"/>
        <source>needs evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="90"/>
        <source>inquiry: needs an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="91"/>
        <source>under review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="92"/>
        <source>inquiry under review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="93"/>
        <source>won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="94"/>
        <source>lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="95"/>
        <source>inquiry closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="110"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="131"/>
        <source>{count} need evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="133"/>
        <source>Nothing to answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="164"/>
        <source>Stripe is not connected: evidence cannot be sent now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="168"/>
        <source>Sending the evidence to Stripe…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/disputes.py" line="177"/>
        <source>Evidence sent: the dispute is {status}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FinishScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="32"/>
        <source>Print receipt (P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="35"/>
        <source>customer@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="36"/>
        <source>Email receipt (E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="37"/>
        <source>No receipt (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="46"/>
        <source>Next customer (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="66"/>
        <source>Order #{number} paid — {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="72"/>
        <source>Change due: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="77"/>
        <source>No change due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="79"/>
        <source>Paid by {card}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/finish.py" line="94"/>
        <source>Enter the customer&apos;s email address.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="74"/>
        <source>Counter POS — set-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="104"/>
        <source>That did not work: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="137"/>
        <source>Welcome to Counter POS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="137"/>
        <source>How will this register be used?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="142"/>
        <source>Set up a new shop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="147"/>
        <source>Join a shop: pair with its sync server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="151"/>
        <source>Try the demo (a sample café, no real money)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="168"/>
        <source>A new shop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="168"/>
        <source>Name the shop and its first owner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="178"/>
        <source>Prices exclude tax (US)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="179"/>
        <source>Prices include tax (VAT, Brazil)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="195"/>
        <source>Shop name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="196"/>
        <source>Currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="197"/>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="198"/>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="199"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="200"/>
        <source>Owner&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="201"/>
        <source>Owner&apos;s PIN (4–8 digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="202"/>
        <source>PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="207"/>
        <source>Create the shop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="212"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="227"/>
        <source>Enter the shop&apos;s name and the owner&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="230"/>
        <source>The two PINs are different.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="258"/>
        <source>Join a shop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="260"/>
        <source>On the server, run “sync-server devices pair-code --tenant SHOP” and type the code here. It works once, for 15 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="270"/>
        <source>Register 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="272"/>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="273"/>
        <source>Pairing code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="274"/>
        <source>This register&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="279"/>
        <source>Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="287"/>
        <source>Enter the server address and the pairing code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="289"/>
        <source>Pairing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="297"/>
        <source>Paired with {shop}. The first sync failed ({error}); it will retry by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="299"/>
        <source>Paired with {shop}: {count} items received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="314"/>
        <source>Card payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="316"/>
        <source>Paste the shop&apos;s Stripe restricted key (rk_live_… or rk_test_…). It is kept in this computer&apos;s keyring, never in a file. You can do this later in the back office.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="325"/>
        <source>Stripe key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="331"/>
        <source>Skip: cash only for now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="334"/>
        <source>Save the key and finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="345"/>
        <source>That is not a Stripe key (it starts with rk_ or sk_).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run.py" line="365"/>
        <source>Saved {key}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="39"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="40"/>
        <source>Parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="41"/>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="42"/>
        <source>Partly refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="43"/>
        <source>Refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="44"/>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="200"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="201"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="202"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="203"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="204"/>
        <source>Refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/models/history_model.py" line="205"/>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="74"/>
        <source>Order history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="84"/>
        <source>Order #</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="88"/>
        <source>Total, e.g. {example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="93"/>
        <source>Card last 4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="96"/>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="99"/>
        <source>Search (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="101"/>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="106"/>
        <source>Only from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="121"/>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="123"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="157"/>
        <source>Back to selling (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="206"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="206"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="206"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="225"/>
        <source>Void (F7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="227"/>
        <source>Refund (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="229"/>
        <source>Reprint (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="231"/>
        <source>Recall (F9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="300"/>
        <source>An order number is digits only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="312"/>
        <source>Enter the card&apos;s last 4 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="336"/>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="351"/>
        <source>{count} orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="353"/>
        <source>1 order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="400"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="408"/>
        <source>Choose an order on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="417"/>
        <source>Order #{number} — {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="425"/>
        <source>by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="434"/>
        <source>Note: {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="440"/>
        <source>{count} refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="465"/>
        <source>Subtotal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="467"/>
        <source>Discounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="468"/>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="469"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="474"/>
        <source>Card {card}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="477"/>
        <source>+ tip {tip}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="479"/>
        <source>Cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="482"/>
        <source>(given {given}, change {change})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="489"/>
        <source>Refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="499"/>
        <source>Voided: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="505"/>
        <source>{name}, approved by {approver}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="510"/>
        <source>cash {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="512"/>
        <source>card {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="514"/>
        <source>card refund pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="515"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="520"/>
        <source>Refund {amount} on {when} — “{reason}” — {who} — {how}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="573"/>
        <source>Park or finish the current order first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="584"/>
        <source>Void order #{number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="585"/>
        <source>Why is this order voided?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="588"/>
        <source>Customer changed their mind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="589"/>
        <source>Rang up by mistake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="590"/>
        <source>Customer left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="591"/>
        <source>Test order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="614"/>
        <source>This order has a card approval to release: the card reader must be connected to void it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="632"/>
        <source>Order #{number} voided.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="705"/>
        <source>Refund of {amount} recorded: give {cash} back from the drawer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="709"/>
        <source>Refund of {amount} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="729"/>
        <source>The card refund is saved but the card reader is not connected: it is sent when the reader is back. Do not refund it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/history.py" line="741"/>
        <source>The card refund went through.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="25"/>
        <location filename="../../pos_app/ui/screens/login.py" line="43"/>
        <source>Tap your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="63"/>
        <source>{name}: enter your PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/login.py" line="86"/>
        <source>Wrong PIN.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="39"/>
        <source>{shop} — Counter POS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="57"/>
        <source>Lock (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="101"/>
        <source>Only a manager can open this screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="104"/>
        <source>Finish or cancel the card payment first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="120"/>
        <source>No receipt printer is set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="127"/>
        <source>Email receipts are not set up on this register.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="169"/>
        <source>Signed in: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="169"/>
        <source>Locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="173"/>
        <source>Shift open since {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="177"/>
        <source>No shift open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="182"/>
        <source>Card reader: {reader}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="184"/>
        <source>Cards off: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="195"/>
        <source>A card payment is in progress: finish or cancel it first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModifierDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="205"/>
        <source>{name} (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="207"/>
        <source>{name} (choose {low} to {high})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="208"/>
        <source>{name} (optional, up to {high})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="222"/>
        <source>choose {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/prompts.py" line="224"/>
        <source>too many {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Override</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="19"/>
        <source>void this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="20"/>
        <source>refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="21"/>
        <source>give this discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="22"/>
        <source>open the drawer without a sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="25"/>
        <source>change a price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="26"/>
        <source>close the shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="27"/>
        <source>pay cash in or out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="28"/>
        <source>change the catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="29"/>
        <source>manage staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="30"/>
        <source>change settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="31"/>
        <source>view reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="32"/>
        <source>sell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="41"/>
        <source>Manager approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="46"/>
        <source>A manager must approve: {action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="91"/>
        <source>No one on this register can approve this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="116"/>
        <source>Approval refused: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/override.py" line="117"/>
        <source>wrong PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PayScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="71"/>
        <source>Cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="78"/>
        <source>Amount handed over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="80"/>
        <source>Take cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="88"/>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="91"/>
        <source>Charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="100"/>
        <source>No tip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="120"/>
        <source>Cancel card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="123"/>
        <source>Try another card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="133"/>
        <source>Back to the order (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="169"/>
        <source>Pay order #{number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="169"/>
        <source>Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="172"/>
        <source>Due: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="177"/>
        <source>Card {card}: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="182"/>
        <source>(tip {tip})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="186"/>
        <source>Cash: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="195"/>
        <source>Exact {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="223"/>
        <source>Enter an amount to charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="227"/>
        <source>Charge card {amount} (F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="245"/>
        <source>Cards unavailable: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="275"/>
        <source>Open a shift (count the float) before taking cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="278"/>
        <source>Finish or cancel the card on the reader first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="298"/>
        <source>Charge between {low} and {high}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="309"/>
        <source>Starting the payment on the reader…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="376"/>
        <source>Ask for another card…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="400"/>
        <source>Cancelling on the reader…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="425"/>
        <source>Releasing the card approval…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/pay.py" line="464"/>
        <source>Charging the card…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="125"/>
        <source>New PIN for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="125"/>
        <source>Set PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="128"/>
        <source>New PIN (4 to 8 digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="129"/>
        <source>The same PIN again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="103"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="109"/>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/common.py" line="109"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="72"/>
        <source>Refund order #{number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="78"/>
        <source>Paid {total}, refunded {refunded}: up to {remaining} can be refunded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="95"/>
        <source>By item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="96"/>
        <source>By amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="113"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="113"/>
        <source>Sold / refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="113"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="207"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="279"/>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="143"/>
        <source>Refund every item left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="146"/>
        <source>Return the items to stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="158"/>
        <source>Amount, up to {remaining}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="169"/>
        <source>Reason (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="175"/>
        <source>Wrong item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="176"/>
        <source>Quality problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="177"/>
        <source>Customer changed their mind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="178"/>
        <source>Charged twice / overcharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="187"/>
        <source>Pay it back in cash from the drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="192"/>
        <source>Card payments go back to the card unless paid back in cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="205"/>
        <source>Cancel (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="272"/>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="277"/>
        <source>Refund {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/refund.py" line="298"/>
        <source>Give a reason for the refund.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="54"/>
        <source>Cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="54"/>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="57"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="62"/>
        <source>Over {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="64"/>
        <source>Short {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="66"/>
        <source>Exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="84"/>
        <source>Z report — shift closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="86"/>
        <source>X report — shift so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="88"/>
        <source>Opened {opened}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="90"/>
        <source>closed {closed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="91"/>
        <source>printed {generated}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="94"/>
        <source>Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="97"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="172"/>
        <source>Orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="98"/>
        <source>Gross sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="99"/>
        <source>Discounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="100"/>
        <source>Net sales (before tax)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="101"/>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="124"/>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="103"/>
        <source>Total taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="106"/>
        <source>Tips (card)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="110"/>
        <source>By tender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="111"/>
        <source>Tender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="111"/>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="111"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="111"/>
        <source>Tips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="123"/>
        <source>Tax by rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="124"/>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="132"/>
        <source>Refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="144"/>
        <source>Voids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="146"/>
        <source>Refunds and voids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="149"/>
        <source>Opening float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="150"/>
        <source>Cash sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="151"/>
        <source>Cash refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="152"/>
        <source>Paid in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="153"/>
        <source>Paid out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="155"/>
        <source>Expected in drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="160"/>
        <source>Counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="162"/>
        <source>Over / short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="164"/>
        <source>Cash drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="166"/>
        <source>By product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="167"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="167"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="167"/>
        <source>Net</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="171"/>
        <source>By staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="172"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/report_view.py" line="172"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="150"/>
        <source>Role of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="150"/>
        <source>Change role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SalesTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="67"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="73"/>
        <source>Sales by hour today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="74"/>
        <source>Best sellers today (before tax)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="128"/>
        <source>Today&apos;s sales: {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="130"/>
        <source>No sales yet today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="156"/>
        <source>Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/sales_tab.py" line="185"/>
        <source>Net sales</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SellScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="55"/>
        <source>Scan a barcode, or type to search (Enter adds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="72"/>
        <source>History (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="73"/>
        <source>Shift (F4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="74"/>
        <source>Back office (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="105"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="106"/>
        <location filename="../../pos_app/ui/screens/sell.py" line="328"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="107"/>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="122"/>
        <location filename="../../pos_app/ui/screens/sell.py" line="422"/>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="127"/>
        <source>Subtotal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="128"/>
        <source>Discounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="130"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="138"/>
        <source>Park (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="139"/>
        <source>Recall (F9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="140"/>
        <source>Order discount (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="141"/>
        <source>Void (F7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="142"/>
        <source>Pay (F12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="252"/>
        <source>No product with code “{code}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="264"/>
        <source>{name} is off the menu today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="327"/>
        <source>Note for the kitchen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="333"/>
        <source>No onions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="334"/>
        <source>Extra hot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="335"/>
        <source>To go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="336"/>
        <source>Allergy: nuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="361"/>
        <source>Line discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="361"/>
        <source>Order discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="422"/>
        <source>Tax (included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="426"/>
        <source>Order #{number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="428"/>
        <source>New order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="451"/>
        <source>Park order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="452"/>
        <source>Name or table number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="480"/>
        <source>Order #{number} parked as “{label}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="496"/>
        <source>No parked orders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="499"/>
        <source>Recall a parked order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="530"/>
        <source>Park or finish the current order first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="543"/>
        <source>Void order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="544"/>
        <source>Why is this order voided?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="547"/>
        <source>Customer changed their mind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="548"/>
        <source>Rang up by mistake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="549"/>
        <source>Customer left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="550"/>
        <source>Test order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/sell.py" line="582"/>
        <source>Order #{number} voided.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../pos_app/ui/session.py" line="41"/>
        <source>Not enough stock for {name}: {available} left, {wanted} wanted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="49"/>
        <source>Something went wrong: {error}. The sale is safe; try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="97"/>
        <source>Connecting to the card reader…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/session.py" line="286"/>
        <source>{reader} (busy)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShiftScreen</name>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="78"/>
        <source>Back to selling (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="85"/>
        <source>No shift is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="89"/>
        <source>Count the cash in the drawer (the float) and open the shift to start taking cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="99"/>
        <source>Opening float, e.g. {example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="114"/>
        <source>Open shift (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="129"/>
        <source>Shift open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="138"/>
        <source>Opening float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="139"/>
        <source>Cash sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="140"/>
        <source>Cash refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="141"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="159"/>
        <source>Paid in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="142"/>
        <location filename="../../pos_app/ui/screens/shift.py" line="161"/>
        <source>Paid out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="153"/>
        <source>Expected in the drawer now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="163"/>
        <source>No sale (open drawer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="165"/>
        <source>X report (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="167"/>
        <source>Count and close shift (F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="188"/>
        <source>Count the drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="204"/>
        <source>Back (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="206"/>
        <source>Close shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="220"/>
        <source>Done (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="308"/>
        <source>Opened by {name} at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="331"/>
        <source>Count the float first: enter the cash in the drawer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="350"/>
        <source>Shift open with a float of {amount}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="386"/>
        <source>No sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="387"/>
        <source>Why open the drawer?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="390"/>
        <source>Give change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="391"/>
        <source>Check the drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="392"/>
        <source>Put a note under the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="393"/>
        <source>Manager request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="428"/>
        <source>Paid in {amount}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="429"/>
        <source>Paid out {amount}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="430"/>
        <source>Drawer opened (no sale): {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="480"/>
        <source>Counted {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="483"/>
        <source>Expected …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="487"/>
        <source>Expected {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/screens/shift.py" line="520"/>
        <source>Shift closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="18"/>
        <source>Cashier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="19"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="20"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StaffTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="43"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="43"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="43"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="55"/>
        <source>Add staff…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="57"/>
        <source>Change role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="59"/>
        <source>Reset PIN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="61"/>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="203"/>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="91"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="91"/>
        <source>Deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="154"/>
        <source>{name} can now sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="171"/>
        <source>{name} is now {role}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="188"/>
        <source>New PIN set for {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="199"/>
        <source>Deactivate {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="201"/>
        <source>{name} will no longer be able to sign in. Their sales stay in the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/staff_tab.py" line="212"/>
        <source>{name} is deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StockTab</name>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="51"/>
        <source>Find a product by name or SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>In stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="58"/>
        <source>On sale / 86</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="75"/>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="172"/>
        <source>Choose a product to count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="80"/>
        <source>Save count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="129"/>
        <source>On sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="129"/>
        <source>86&apos;d — off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="131"/>
        <source>Tap to take it off sale (86)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="133"/>
        <source>Tap to put it back on sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="148"/>
        <source>Off the menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="150"/>
        <source>Not counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="152"/>
        <source>Out of stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="154"/>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="155"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="174"/>
        <source>Count of {name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="208"/>
        <source>{name} is back on sale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="210"/>
        <source>{name} is 86&apos;d: off the menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/backoffice/stock_tab.py" line="244"/>
        <source>{name}: {count} counted ({delta:+d}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="36"/>
        <source>Sync: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="40"/>
        <source>Not synced (standalone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="42"/>
        <source>Offline since {time} — {count} pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="47"/>
        <source>Sync error — click for details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="49"/>
        <source>{count} pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="50"/>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="56"/>
        <source>oversold: {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="65"/>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="68"/>
        <source>This register is not paired with a sync server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="70"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="72"/>
        <source>Server: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="73"/>
        <source>Device: {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="74"/>
        <source>Changes waiting to be sent: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="75"/>
        <source>Last successful sync: {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="82"/>
        <source>Last error: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="85"/>
        <source>Sold more than the shop had (check the shelves): {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/sync_status.py" line="94"/>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="50"/>
        <source>Cancel (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/dialogs/staff.py" line="77"/>
        <source>The two PINs are not the same: type them again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="8"/>
        <source>A test card was used. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="9"/>
        <source>Cannot reach Stripe. Card payments are paused: take cash, or try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="12"/>
        <source>Card declined. Ask for another card or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="13"/>
        <source>Card declined. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="14"/>
        <source>Card declined. Ask for another way to pay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="15"/>
        <source>Connection to Stripe lost: still trying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="16"/>
        <source>Declined by the card&apos;s bank. Ask for another card or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="19"/>
        <source>Declined by the card&apos;s bank. Ask for another card; the customer can call their bank.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="23"/>
        <source>Declined: not enough funds. Ask for another card or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="24"/>
        <source>Declined: the card&apos;s limit is reached. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="25"/>
        <source>Stripe did not confirm the charge. The order will be completed as soon as Stripe answers; do not charge the card again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="29"/>
        <source>Stripe is having trouble right now. Try the card again, or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="32"/>
        <source>The Stripe key was refused. A manager must check the key in Settings → Card reader.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="36"/>
        <source>The card approval has expired or was cancelled. Ask for the card again, or cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="40"/>
        <source>The card could not be processed. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="41"/>
        <source>The card could not be processed. Try the card again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="42"/>
        <source>The card has expired. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="43"/>
        <source>The card payment was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="44"/>
        <source>The card reader did not answer in time. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="45"/>
        <source>The card reader is busy with another payment. Cancel it on the reader, or wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="49"/>
        <source>The card reader is offline. Check its power and Wi-Fi, or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="52"/>
        <source>The card reader reported a fault. Restart it, or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="53"/>
        <source>The customer cancelled on the reader.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="54"/>
        <source>The payment was cancelled on the reader.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="55"/>
        <source>The reader stopped this payment. Try the card again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="56"/>
        <source>This card cannot be used for this purchase. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="59"/>
        <source>This card cannot be used here. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="60"/>
        <source>This card cannot pay in this currency. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="61"/>
        <source>This card needs its PIN: ask the customer to insert the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="62"/>
        <source>This card payment is already being charged; refund it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="63"/>
        <source>Too many wrong PINs. Ask for another card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="64"/>
        <source>Waiting for the customer&apos;s card: tap, insert or swipe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="65"/>
        <source>Wrong PIN. Ask the customer to try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="66"/>
        <source>a card cannot be charged more than what is still due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="67"/>
        <source>a refund must be more than zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="68"/>
        <source>a shift is already open on this register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="69"/>
        <source>an empty order cannot be parked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="70"/>
        <source>enter an amount above zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="71"/>
        <source>give a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="72"/>
        <source>give a reason for the refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="73"/>
        <source>give a reason for the void</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="74"/>
        <source>no shift is open on this register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="75"/>
        <source>open a shift (count the float) before taking cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="76"/>
        <source>park the order under a name or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="77"/>
        <source>that refund is more than what remains paid on the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="78"/>
        <source>the float cannot be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="79"/>
        <source>the order is already paid in full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="80"/>
        <source>there is nothing to pay for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="81"/>
        <source>tips are taken on card only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/message_catalog.py" line="82"/>
        <source>wrong PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
